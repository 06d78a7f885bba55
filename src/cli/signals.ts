/**
 * Signals are the CLI's business: the sweep only sees an AbortSignal.
 */

/**
 * An AbortSignal that fires on the first SIGINT/SIGTERM (Ctrl-C, `kubectl
 * delete`, Slurm pre-emption): the sweep stops dispatching and leaves its
 * journal whole. The handlers remove themselves on the first signal, so a
 * second one gets Node's default (the process ends at once), the usual
 * Ctrl-C contract. Call `dispose` when the sweep is over.
 */
export function interruptOnSignals(): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const dispose = (): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const onSignal = (): void => {
    dispose();
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal: controller.signal, dispose };
}
