/**
 * Errors as data across the thread boundary. Structured clone keeps only an
 * Error's message and name, and the CLI's exit code depends on the class
 * (InputError: 2, SimulationLimitError: 3), so a pool thread returns its
 * failure as one of these and the pool rebuilds the error.
 */
import { InputError, type InputErrorDetail } from '../input/errors.js';
import { SimulationLimitError, type RunLimits } from '../engine/index.js';

export type SerializedError =
  | { readonly kind: 'input'; readonly message: string; readonly detail: InputErrorDetail }
  | { readonly kind: 'limit'; readonly message: string; readonly limit: keyof RunLimits; readonly value: number }
  | { readonly kind: 'other'; readonly message: string; readonly stack?: string };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof InputError) return { kind: 'input', message: error.message, detail: { ...error.detail } };
  if (error instanceof SimulationLimitError) return { kind: 'limit', message: error.message, limit: error.limit, value: error.value };
  if (error instanceof Error) return { kind: 'other', message: error.message, stack: error.stack };
  return { kind: 'other', message: String(error) };
}

export function rebuildError(error: SerializedError): Error {
  switch (error.kind) {
    case 'input':
      return new InputError(error.message, error.detail);
    case 'limit':
      return new SimulationLimitError(error.limit, error.value, error.message);
    case 'other': {
      const rebuilt = new Error(error.message);
      if (error.stack !== undefined) rebuilt.stack = error.stack;
      return rebuilt;
    }
  }
}
