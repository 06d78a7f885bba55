/**
 * The fields of a lock-bench scenario: N pinned threads on one lock
 * (src/lock-bench/), open or closed, with think and hold times from any
 * distribution. pause-bench files are one configuration of this kind.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Duration } from '../../input/schema.js';
import { BENCH_LOCK_KINDS } from '../../lock-bench/index.js';
import { COMMON_SCENARIO_FIELDS, SCENARIO_LIMITS, closed } from '../../scenario/schema.js';
import { TimeDistribution } from '../distribution.js';

export const LOCK_BENCH_DEFAULTS = {
  lock: 'qspinlock',
  placement: 'compact',
  think: '100 ns',
  hold: '100 ns',
  duration: '2 ms',
  warmup: 0.1,
  handoff: 'home-queue',
  fifoHandoff: '0 ns',
  rwsem: { wakeup: '5 us' },
  gracePeriod: { base: '300 us', perCpu: '2 us' },
} as const;

export const LockBenchScenarioSchema = Type.Object(
  {
    ...COMMON_SCENARIO_FIELDS,
    kind: Type.Literal('lock-bench', { description: 'A lock benchmark: N pinned threads on one lock, open or closed.' }),
    threads: Type.Integer({ minimum: 1, maximum: SCENARIO_LIMITS.threads, description: 'Benchmark threads, one per CPU.' }),
    placement: Type.Optional(
      Type.Union(
        [
          Type.Literal('compact', { description: 'CPUs in Linux order.' }),
          Type.Literal('spread', { description: 'Round-robin over the L3 domains.' }),
          Type.Literal('one-socket', { description: 'Socket 0 only, in Linux order.' }),
          Type.Object({ cpuset: Type.String({ minLength: 1, description: 'Linux CPU list, e.g. "0-3,48-51": threads take these CPUs in ascending order.' }) }, { ...closed, description: 'A cpuset.' }),
        ],
        { description: 'Which CPUs the threads run on, one thread per CPU.', default: LOCK_BENCH_DEFAULTS.placement, expected: 'compact, spread, one-socket or {cpuset: "0-3,48-51"}' },
      ),
    ),
    lock: Type.Optional(
      Type.Union(BENCH_LOCK_KINDS.map((k) => Type.Literal(k)), {
        description:
          'The lock: qspinlock (Linux queued spinlock), ticket, tas, ttas, mcs (the MCS queue lock), fifo (the ideal FIFO lock of queueing theory, no cache lines), rwsem (readers and writers, see readShare), seqlock (writers take the lock, readers spin while the count is odd and retry), rcu (readers in read-side sections, updaters wait for expedited grace periods).',
        default: LOCK_BENCH_DEFAULTS.lock,
      }),
    ),
    think: Type.Optional(TimeDistribution({ description: 'Work between a release and the next request (closed runs).', default: LOCK_BENCH_DEFAULTS.think })),
    hold: Type.Optional(TimeDistribution({ description: 'Critical section (the write side; an RCU update before its grace period), before SMT stretch and extra lines.', default: LOCK_BENCH_DEFAULTS.hold })),
    readHold: Type.Optional(TimeDistribution({ description: 'Read-side section of rwsem, seqlock and RCU readers (default: hold).' })),
    readShare: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Share of operations that are reads (rwsem, seqlock, rcu only).', default: 0 })),
    arrival: Type.Optional(
      Type.Object(
        {
          kind: Type.Union([Type.Literal('closed'), Type.Literal('open')], { description: 'closed: each thread loops think, request, hold; open: requests arrive as a Poisson stream and an idle thread takes each (the rest wait in a backlog).' }),
          perSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'open: requests per second, all threads together.' })),
        },
        { ...closed, description: 'How requests are made (default {kind: closed}).' },
      ),
    ),
    extraLines: Type.Optional(Type.Integer({ minimum: 0, maximum: 64, description: 'Cache lines the critical section writes besides the lock\'s, one after another, each with its own home.', default: 0 })),
    handoff: Type.Optional(
      Type.Union([Type.Literal('home-queue'), Type.Literal('chain')], {
        description:
          "ticket only: how a handoff is charged. home-queue: locksim's coherence model (each release's re-read burst queued whole at the line's home, the next burst behind it); chain: the Boyd-Wickizer chain's assumption, c*k/2 with k cores waiting or holding and c the machine's fanOutRead, nothing queued (docs/validation.md).",
        default: LOCK_BENCH_DEFAULTS.handoff,
      }),
    ),
    fifoHandoff: Type.Optional(Duration({ description: `fifo only: time from a release to the next holder holding (default ${LOCK_BENCH_DEFAULTS.fifoHandoff}).` })),
    rwsem: Type.Optional(
      Type.Object(
        {
          wakeup: Type.Optional(Duration({ description: 'From a wake-up to the sleeper running again.', default: LOCK_BENCH_DEFAULTS.rwsem.wakeup })),
          maxSpin: Type.Optional(Duration({ description: "A writer's longest optimistic spin on a running writer owner (default: until the owner changes)." })),
        },
        { ...closed, description: 'rwsem only: its scheduler costs.' },
      ),
    ),
    gracePeriod: Type.Optional(
      Type.Object(
        {
          base: Type.Optional(Duration({ description: 'An expedited grace period on a quiet machine.', default: LOCK_BENCH_DEFAULTS.gracePeriod.base })),
          perCpu: Type.Optional(Duration({ description: 'Added per online CPU.', default: LOCK_BENCH_DEFAULTS.gracePeriod.perCpu })),
        },
        { ...closed, description: 'rcu only: the expedited grace period updaters wait for.' },
      ),
    ),
    duration: Type.Optional(Duration({ description: `Simulated run length (a share \`warmup\` of it is warm-up); default ${LOCK_BENCH_DEFAULTS.duration} unless acquisitions is given.` })),
    acquisitions: Type.Optional(Type.Integer({ minimum: 1, maximum: 1e8, description: 'Run until this many acquisitions after warm-up (warm-up: a share `warmup` of this count), instead of a duration.' })),
    warmup: Type.Optional(Type.Number({ minimum: 0, maximum: 0.9, description: 'Warm-up, as a share of the duration or of the acquisition count.', default: LOCK_BENCH_DEFAULTS.warmup })),
  },
  { ...closed, title: 'lock-bench scenario', description: 'A lock benchmark: threads, placement, the lock, think and hold times, open or closed.' },
);

export type LockBenchScenarioFile = Static<typeof LockBenchScenarioSchema>;
