/**
 * The message a pool thread sends once its module has loaded (worker.ts), and
 * how the pool reads it (pool.ts). Kept apart from worker.ts, which has side
 * effects on import (it reads workerData), so the pool can import it.
 */
const THREAD_LOADED = 'locksimThreadLoaded';

export function threadLoadedMessage(threadId: number): Record<string, number> {
  return { [THREAD_LOADED]: threadId };
}

/** The thread id of a THREAD_LOADED message, or undefined for any other message. */
export function loadedThreadId(message: unknown): number | undefined {
  if (typeof message !== 'object' || message === null || !Object.hasOwn(message, THREAD_LOADED)) return undefined;
  const id = (message as Record<string, unknown>)[THREAD_LOADED];
  return typeof id === 'number' ? id : undefined;
}
