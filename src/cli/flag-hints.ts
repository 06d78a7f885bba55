/**
 * Did-you-mean for the command line: yargs names unknown flags, this finds
 * the closest known one for each.
 */
import type { Argv } from 'yargs';
import { closestMatch } from '../input/did-you-mean.js';

/** Every flag name a parser knows (long names, kebab-case as written on the command line). */
export function knownFlags(y: Argv): string[] {
  const options = (y as unknown as { getOptions(): unknown }).getOptions() as { key?: Record<string, unknown>; alias?: Record<string, string[]> };
  const names = new Set<string>([...Object.keys(options.key ?? {}), ...Object.values(options.alias ?? {}).flat()]);
  return [...names].filter((name) => name.length > 1 && !/[A-Z]/.test(name) && name !== '$0');
}

/** ` Did you mean --seed?` for `Unknown argument: sedd` (one suggestion per unknown flag that is close to a known one). */
export function unknownFlagHint(message: string, flags: readonly string[]): string {
  const match = /^Unknown arguments?: (.+)$/.exec(message);
  if (match === null) return '';
  const hints = match[1]
    .split(', ')
    .map((word) => [word, closestMatch(word.replace(/^-+/, ''), flags)] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined)
    .map(([word, flag]) => `--${flag} for ${word}`);
  return hints.length === 0 ? '' : `. Did you mean ${hints.join(', ')}?`;
}
