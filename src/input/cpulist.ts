/**
 * Linux CPU list format ("0-23,48-71", as in /sys/devices/system/cpu/online and
 * cpuset.cpus), parsed and printed in one place.
 */
import { InputError, type InputErrorDetail } from './errors.js';

const EXPECTED = 'a Linux CPU list such as "0-23,48-71"';

/**
 * Most logical CPUs of a machine locksim models: past every shipping server
 * (the largest AWS instance has 896 vCPUs). Every CPU-indexed structure is
 * sized from a count checked against this before it is allocated.
 */
export const MAX_CPUS = 1024;

/** Ascending, de-duplicated CPU ids, each below MAX_CPUS (a range is checked before it is expanded). Empty text is an empty list. */
export function parseCpuList(text: unknown, at: InputErrorDetail = {}): number[] {
  const tooHigh = (id: number): never => {
    throw new InputError(`CPU ${id} is beyond any machine locksim models`, { ...at, expected: `CPU ids 0-${MAX_CPUS - 1}`, found: JSON.stringify(text) ?? String(text) });
  };
  if (typeof text === 'number' && Number.isInteger(text) && text >= 0) return text < MAX_CPUS ? [text] : tooHigh(text);
  if (typeof text !== 'string') {
    throw new InputError('expected a CPU list', { ...at, expected: EXPECTED, found: JSON.stringify(text) ?? String(text) });
  }
  const ids = new Set<number>();
  for (const rawPart of text.split(',')) {
    const part = rawPart.trim();
    if (part === '') continue;
    const match = /^(\d+)(?:\s*-\s*(\d+)(?::(\d+))?)?$/.exec(part);
    if (match === null) {
      throw new InputError(`cannot read "${part}" as a CPU or CPU range`, { ...at, expected: EXPECTED, found: JSON.stringify(text) });
    }
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    const stride = match[3] === undefined ? 1 : Number(match[3]);
    if (last < first || stride < 1) {
      throw new InputError(`the range "${part}" runs backwards`, { ...at, expected: EXPECTED, found: JSON.stringify(text) });
    }
    if (last >= MAX_CPUS) tooHigh(last);
    for (let id = first; id <= last; id += stride) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

/** [0,1,2,3,8] → "0-3,8". */
export function formatCpuList(ids: readonly number[]): string {
  const sorted = [...ids].sort((a, b) => a - b);
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
