/**
 * Model names (machine families, kernels, nodes, runtimes) as they are
 * looked up in the models folder: a name picks a file there and can never
 * reach outside it. A name holds letters, digits, ".", "_" and "-", starts
 * with a letter or digit (so never "." or ".."), and holds no slash.
 */
import { InputError } from './errors.js';

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Throws an InputError (no file: the caller places it) unless `name` is a plain model name. */
export function checkModelName(name: string, kind: string): void {
  if (MODEL_NAME.test(name)) return;
  throw new InputError(`a ${kind} model is named, not given as a path`, {
    path: kind,
    expected: `a ${kind} name from the models folder, such as ${kind === 'machine' ? '"r5.metal"' : '"containerd-idmap"'} (letters, digits, ".", "_" and "-")`,
    found: JSON.stringify(name),
    hint: `List the names with \`locksim models\`, or add a file to the models folder.`,
  });
}
