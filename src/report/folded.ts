/**
 * Folded stacks: the text format flamegraph.pl, inferno and speedscope read.
 *
 * One line per distinct stack, frames root-first joined by ';', a space, then
 * the weight (here: simulated nanoseconds, so a flamegraph of a run shows where
 * simulated CPU time went, the way the Netflix containerd flamegraph did).
 * Identical stacks are merged, lines are sorted by stack so output is
 * byte-stable, and weights are summed before rounding so many sub-nanosecond
 * samples are not all rounded away.
 */

export interface StackSample {
  /** Frames from the root (outermost) to the leaf, e.g. ['containerd', 'mount', 'path_init']. */
  stack: readonly string[];
  /** Weight of this sample in nanoseconds; must be finite and >= 0. */
  weight: number;
}

/**
 * Formats samples as folded stacks, one `a;b;c 1234` line each, '\n'-terminated.
 * Stacks whose summed weight rounds to 0 are left out (the readers ignore them anyway).
 */
export function toFoldedStacks(samples: Iterable<StackSample>): string {
  const weightByStack = new Map<string, number>();
  for (const sample of samples) {
    if (!Number.isFinite(sample.weight) || sample.weight < 0) {
      throw new RangeError(`folded stack weight must be a finite number >= 0, got ${sample.weight} for ${sample.stack.join(';')}`);
    }
    if (sample.stack.length === 0) throw new RangeError('folded stack sample has no frames');
    const key = sample.stack.map(foldFrameName).join(';');
    weightByStack.set(key, (weightByStack.get(key) ?? 0) + sample.weight);
  }
  // Code-unit order, not localeCompare: output must not depend on the machine's locale.
  const stacks = [...weightByStack.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let text = '';
  for (const stack of stacks) {
    const weight = Math.round(weightByStack.get(stack) ?? 0);
    if (weight > 0) text += `${stack} ${weight}\n`;
  }
  return text;
}

/**
 * Makes a frame name safe for the format: ';' separates frames and a line
 * break ends a record, so both would corrupt the file. Spaces are fine (the
 * readers split on the last space), but an empty frame is shown as a placeholder.
 */
export function foldFrameName(frame: string): string {
  const cleaned = frame.replaceAll(';', ':').replace(/[\r\n\t]+/g, ' ').trim();
  return cleaned === '' ? '[unnamed]' : cleaned;
}
