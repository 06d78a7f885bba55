/**
 * The fields of a pause-bench scenario: Netflix's global-lock microbenchmark,
 * N threads on one global spinlock (src/pause-bench/).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Duration } from '../../input/schema.js';
import { COMMON_SCENARIO_FIELDS, SCENARIO_LIMITS, closed } from '../../scenario/schema.js';

export const PauseBenchScenarioSchema = Type.Object(
  {
    ...COMMON_SCENARIO_FIELDS,
    kind: Type.Literal('pause-bench', { description: 'pause_bench: N threads on one global spinlock.' }),
    threads: Type.Integer({ minimum: 1, maximum: SCENARIO_LIMITS.threads, description: 'Benchmark threads, one per CPU.' }),
    placement: Type.Optional(
      Type.Union([Type.Literal('compact'), Type.Literal('spread'), Type.Literal('one-socket')], {
        description: 'compact: CPUs in Linux order; spread: round-robin over L3 domains; one-socket: socket 0 only.',
        default: 'compact',
      }),
    ),
    lock: Type.Optional(Type.Union([Type.Literal('ttas'), Type.Literal('ticket'), Type.Literal('qspinlock')], { description: 'The global lock.', default: 'ttas' })),
    hold: Type.Optional(Duration({ description: 'Critical section per acquisition.', default: '100 ns' })),
    think: Type.Optional(Duration({ description: 'Work between a release and the next request.', default: '100 ns' })),
    duration: Type.Optional(Duration({ description: 'Simulated run length (the first 10% is warm-up).', default: '2 ms' })),
  },
  { ...closed, title: 'pause-bench scenario', description: 'The global-lock microbenchmark.' },
);

export type PauseBenchScenarioFile = Static<typeof PauseBenchScenarioSchema>;
