/**
 * Times drawn from a distribution, as scenario files write them: a plain
 * duration ("100 ns", always that value), or `{kind, ...}` with the engine's
 * distributions (src/engine/random.ts), every time with its unit. Shared by
 * the workload kinds that draw think, hold and interval times.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { Distribution } from '../engine/index.js';
import { Duration } from '../input/schema.js';
import { closed } from '../scenario/schema.js';
import type { PointLocator } from '../scenario/kind.js';
import type { FieldPath } from '../input/load.js';

const KINDS = ['deterministic', 'exponential', 'uniform', 'normal', 'lognormal', 'empirical'] as const;

/** A schema for a time drawn from a distribution; `description` says what the time is. */
export function TimeDistribution(options: { description: string; default?: string }): TSchema {
  return Type.Union(
    [
      Duration({ description: 'A fixed time, with a unit (e.g. "100 ns").' }),
      Type.Object(
        {
          kind: Type.Union(KINDS.map((k) => Type.Literal(k)), { description: 'deterministic: value; exponential: mean; uniform: min, max; normal: mean, sd (negative draws count as 0); lognormal: median, sigma; empirical: values, drawn with equal chance.' }),
          value: Type.Optional(Duration({ description: 'deterministic: the time.' })),
          mean: Type.Optional(Duration({ description: 'exponential, normal: the mean.' })),
          min: Type.Optional(Duration({ description: 'uniform: the lower end.' })),
          max: Type.Optional(Duration({ description: 'uniform: the upper end.' })),
          sd: Type.Optional(Duration({ description: 'normal: the standard deviation.' })),
          median: Type.Optional(Duration({ description: 'lognormal: the median.' })),
          sigma: Type.Optional(Type.Number({ minimum: 0, description: 'lognormal: the standard deviation of the logarithm (a plain number).' })),
          values: Type.Optional(Type.Array(Duration({ description: 'A time.' }), { minItems: 1, maxItems: 10_000, description: 'empirical: the times to draw from.' })),
        },
        { ...closed, description: 'A distribution of the time.' },
      ),
    ],
    { description: options.description, ...(options.default === undefined ? {} : { default: options.default }), expected: 'a duration such as "100 ns", or {kind: exponential, mean: "1 us"} (also deterministic, uniform, normal, lognormal, empirical)' },
  );
}

type Written = string | { kind: (typeof KINDS)[number]; value?: string; mean?: string; min?: string; max?: string; sd?: string; median?: string; sigma?: number; values?: string[] };

export type TimeDistributionFile = Static<ReturnType<typeof TimeDistribution>>;

const FIELDS: Readonly<Record<(typeof KINDS)[number], readonly string[]>> = {
  deterministic: ['value'],
  exponential: ['mean'],
  uniform: ['min', 'max'],
  normal: ['mean', 'sd'],
  lognormal: ['median', 'sigma'],
  empirical: ['values'],
};

/** The written distribution at `path`, times in ns; a missing or misplaced field is a located error. */
export function resolveTimeDistribution(at: PointLocator, written: unknown, path: FieldPath): Distribution {
  const value = written as Written;
  if (typeof value === 'string') return { kind: 'deterministic', value: at.duration(value, path) };
  const allowed = FIELDS[value.kind];
  for (const field of Object.keys(value)) {
    if (field !== 'kind' && !allowed.includes(field)) {
      throw at.error([...path, field], `\`${field}\` does not apply to a ${value.kind} distribution`, { expected: `only ${allowed.join(', ')}`, found: `\`${field}\`` }, 'key');
    }
  }
  const need = <K extends keyof typeof value>(field: K): NonNullable<(typeof value)[K]> => {
    const v = value[field];
    if (v === undefined) throw at.error(path, `missing required field \`${String(field)}\` of a ${value.kind} distribution`, { expected: `${allowed.join(', ')}`, found: 'nothing' });
    return v as NonNullable<(typeof value)[K]>;
  };
  const time = (field: 'value' | 'mean' | 'min' | 'max' | 'sd' | 'median'): number => at.duration(need(field), [...path, field]);
  switch (value.kind) {
    case 'deterministic':
      return { kind: 'deterministic', value: time('value') };
    case 'exponential':
      return { kind: 'exponential', mean: time('mean') };
    case 'uniform': {
      const min = time('min');
      const max = time('max');
      if (max < min) throw at.error([...path, 'max'], 'max is below min', { expected: `at least ${value.min}`, found: String(value.max) });
      return { kind: 'uniform', min, max };
    }
    case 'normal':
      return { kind: 'normal', mean: time('mean'), sd: time('sd') };
    case 'lognormal':
      return { kind: 'lognormal', median: time('median'), sigma: need('sigma') };
    case 'empirical':
      return { kind: 'empirical', values: need('values').map((v, i) => at.duration(v, [...path, 'values', i])) };
  }
}
