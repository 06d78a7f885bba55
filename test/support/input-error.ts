import { InputError } from '../../src/input/errors.js';

/** Runs `fn` and returns the InputError it throws; anything else (or nothing) fails the test. */
export function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}
