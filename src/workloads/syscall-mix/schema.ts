/**
 * The fields of a syscall-mix scenario: groups of threads running
 * procedures over the kernel model's recipes (path lookups, mounts and
 * unmounts, unshare, mountinfo reads) at given rates or in closed loops, on
 * any machine (src/launch/syscall-mix.ts).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Duration } from '../../input/schema.js';
import { COMMON_SCENARIO_FIELDS, SCENARIO_LIMITS, closed } from '../../scenario/schema.js';
import { TimeDistribution } from '../distribution.js';
import { MechanismsSchema, ParametersSchema } from '../launch/index.js';

/** Procedures by a name a person uses; anything else names a syscall of the kernel model. */
export const MIX_PROCEDURES = {
  stat: { syscalls: ['path_walk'], description: 'a path lookup (stat, access): path_init reads the walk seqlock, then the walk' },
  open: { syscalls: ['path_walk'], description: 'open(): its path lookup (the file itself takes no global lock)' },
  mount: { syscalls: ['open_tree_clone', 'move_mount', 'close_detached'], description: 'a bind mount with the new mount API: open_tree(OPEN_TREE_CLONE), move_mount, close' },
  umount: { syscalls: ['umount'], description: 'umount2(): the busy check, namespace_unlock\'s expedited grace period, mntput' },
  unshare: { syscalls: ['unshare_mount_namespace'], description: 'unshare(CLONE_NEWNS): a copy of the whole host mount table under namespace_sem' },
  mountinfo: { syscalls: [], description: 'a read of /proc/self/mountinfo: the mountinfo rwsem per read() chunk, prepend_path per line' },
} as const;

export const SYSCALL_MIX_DEFAULTS = { kernel: 'linux-6.12', node: 'k8s-node', placement: 'spread', duration: '100 ms', warmup: 0.1, think: '0 ns', layers: 1 } as const;

export const MixGroupSchema = Type.Object(
  {
    threads: Type.Integer({ minimum: 1, maximum: SCENARIO_LIMITS.threads, description: 'Threads of the group, each on its own CPU when there are enough.' }),
    do: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      maxItems: 64,
      description: `One iteration, in order: ${Object.entries(MIX_PROCEDURES).map(([name, p]) => `${name} (${p.description})`).join('; ')}; or any syscall of the kernel model by name (e.g. mount_setattr_idmap, pivot_root).`,
    }),
    think: Type.Optional(TimeDistribution({ description: 'Closed loop: work on the CPU between iterations.', default: SYSCALL_MIX_DEFAULTS.think })),
    perSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Instead of a closed loop: each thread starts iterations as a Poisson stream of this rate.' })),
    layers: Type.Optional(Type.Integer({ minimum: 1, maximum: SCENARIO_LIMITS.layers, description: 'The layer count recipes read (mount_overlay walks layers + 3 paths).', default: SYSCALL_MIX_DEFAULTS.layers })),
    propagates: Type.Optional(Type.Boolean({ description: "Whether the group's mounts propagate to the node's receivers (mounts under a shared /).", default: true })),
    mountinfoParsePerLine: Type.Optional(Duration({ description: 'mountinfo only: the reader\'s own parse per line, on its CPU.', default: '0 ns' })),
    mountinfoReadBytes: Type.Optional(
      Type.Integer({
        minimum: 64,
        maximum: 1048576,
        description: "mountinfo only: bytes per read() of /proc/self/mountinfo (namespace_sem is taken once per read()). Default: the node model's libmount reader (systemd.readBytes: stdio's buffer follows procfs's block size).",
      }),
    ),
  },
  { ...closed, description: 'A group of threads running one procedure over and over.' },
);

export const SyscallMixScenarioSchema = Type.Object(
  {
    ...COMMON_SCENARIO_FIELDS,
    kind: Type.Literal('syscall-mix', { description: 'Groups of threads running syscall procedures over the kernel recipes.' }),
    kernel: Type.Optional(Type.String({ minLength: 1, description: 'Kernel model in models/kernel (its recipes, locks and parameters).', default: SYSCALL_MIX_DEFAULTS.kernel })),
    node: Type.Optional(Type.String({ minLength: 1, description: 'Node model in models/nodes (scheduler, mount tables, background load).', default: SYSCALL_MIX_DEFAULTS.node })),
    groups: Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]*$' }), MixGroupSchema, {
      minProperties: 1,
      description: 'The thread groups by name (letters, digits, "_", "-"): each names its metrics (<group>.opsPerS, <group>.p99LatencyUs).',
      expected: 'groups by name, e.g. {lookups: {threads: 90, do: [stat]}, mounters: {threads: 6, do: [mount, umount]}}',
    }),
    placement: Type.Optional(Type.Union([Type.Literal('spread'), Type.Literal('compact')], { description: 'The CPUs threads prefer, groups in the order written: spread (round-robin over L3 domains) or compact (Linux order).', default: SYSCALL_MIX_DEFAULTS.placement })),
    background: Type.Optional(Type.Boolean({ description: "The node's own load as well: other processes' path lookups, systemd and kubelet re-reading the mount table.", default: false })),
    duration: Type.Optional(Duration({ description: 'Simulated time during which iterations start.', default: SYSCALL_MIX_DEFAULTS.duration })),
    warmup: Type.Optional(Type.Number({ minimum: 0, maximum: 0.9, description: 'Share of the duration whose iterations are not measured.', default: SYSCALL_MIX_DEFAULTS.warmup })),
    mechanisms: Type.Optional(MechanismsSchema),
    parameters: Type.Optional(ParametersSchema),
  },
  { ...closed, title: 'syscall-mix scenario', description: 'Groups of threads running syscall procedures over the kernel recipes, on one node.' },
);

export type SyscallMixScenarioFile = Static<typeof SyscallMixScenarioSchema>;
