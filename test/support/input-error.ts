import { expect } from 'vitest';
import { InputError, isInputError } from '../../src/input/errors.js';

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

/** The action must throw (or reject with) an InputError whose one-line form matches `message`. */
export async function expectInputError(action: () => Promise<unknown> | unknown, message: RegExp): Promise<void> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(isInputError(caught), String(caught)).toBe(true);
  const line = (caught as { format(): string }).format();
  expect(line).not.toContain('\n');
  expect(line).toMatch(message);
}
