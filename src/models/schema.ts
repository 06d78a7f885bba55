/**
 * The schemas of the kernel, node and runtime model files
 * (models/kernel/*.yaml, models/nodes/*.yaml, models/runtimes/*.yaml): the
 * recipes of the launch path as data. Every field carries a description, so
 * the emitted JSON Schemas (schemas/{kernel,node,runtime}.schema.json)
 * complete and check the files in an editor; `load.ts` adds only what a
 * schema cannot say (names that must exist in another file, counts that name
 * parameters, procedures that must not call themselves).
 *
 * Steps are written as a mapping with exactly one kind key (`walk: 2`,
 * `lock: mount_lock`, `call: umount`, ...). Durations carry units ("5 us")
 * or name a duration parameter; counts are a number, a count variable, a
 * count parameter, or a sum of such terms ("layers + 1").
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const closed = { additionalProperties: false } as const;

/** A file name-safe identifier: model names are file names. */
const ModelName = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 100, description: 'Model name; must match the file name.', expected: 'a name of letters, digits, ".", "_" and "-"' });

const Models = Type.String({ minLength: 1, description: 'The Linux (or user-space) code this models, with file and line.' });

/** Either a duration with a unit or a plain number: what a parameter value may be. */
const ParameterValue = Type.Union([Type.String({ minLength: 1 }), Type.Number({ minimum: 0 })], { expected: 'a duration such as "2 us" or a number >= 0' });

const ParameterBase = {
  value: ParameterValue,
  range: Type.Optional(Type.Array(ParameterValue, { minItems: 2, maxItems: 2, description: 'Plausible [low, high], in the same unit kind as value.' })),
};

/** `{value, range, calibrated}` or `{value, range, source}`: a number with its provenance. */
export const ParameterSchema = Type.Union(
  [
    Type.Object({ ...ParameterBase, calibrated: Type.String({ minLength: 1, description: 'What the value was fitted to (no public source gives it).' }) }, closed),
    Type.Object({ ...ParameterBase, source: Type.String({ minLength: 1, description: 'Where the value comes from.' }) }, closed),
  ],
  {
    description: 'A model parameter: its value, its plausible range, and exactly one of `source:` (where the number comes from) or `calibrated:` (what it was fitted to).',
    expected: 'a mapping {value, range, source} or {value, range, calibrated}',
  },
);

const ParametersSchema = Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), ParameterSchema, { description: 'Named parameters; steps refer to them by name.' });

/** A count: a whole number, or an expression of count variables and count parameters. */
const CountSchema = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ minLength: 1 })], {
  expected: 'a count such as 3, "layers", "receivers" or "layers + 1"',
});

const DurationRef = Type.String({ minLength: 1, expected: 'a duration parameter name or a duration such as "3 us"' });

const HoldSchema = Type.Object(
  {
    base: Type.Optional(DurationRef),
    perCpuSum: Type.Optional(Type.Boolean({ description: 'A for_each_possible_cpu sum of a per-CPU counter runs under the lock.' })),
    perReceiver: Type.Optional(DurationRef),
    perReceiverCpuSum: Type.Optional(Type.Boolean({ description: "A per-CPU sum for every propagation receiver's copy too." })),
    perHostMount: Type.Optional(DurationRef),
  },
  { ...closed, description: 'How long the lock is held: the sum of the work the kernel code does under it.' },
);

/** One step of a recipe; recursive through `lock` and `repeat`. */
export const StepSchema = Type.Recursive(
  (Step) =>
    Type.Union(
      [
        Type.Object({ walk: CountSchema }, { ...closed, description: 'Path lookups (path_init reads the walk seqlock; a ref-walk retry if a write moved it).' }),
        Type.Object({ cpu: DurationRef }, { ...closed, description: 'On-CPU work outside global locks.' }),
        Type.Object({ sleep: DurationRef }, { ...closed, description: 'Off-CPU time (I/O, waiting on another process).' }),
        Type.Object(
          {
            lock: Type.String({ minLength: 1, description: 'A lock declared under `locks:`.' }),
            mode: Type.Union([Type.Literal('write'), Type.Literal('read'), Type.Literal('exclusive')], { description: 'seqlock: write or exclusive (read_seqlock_excl); rwsem: write or read.' }),
            hold: Type.Optional(HoldSchema),
            steps: Type.Optional(Type.Array(Step, { description: 'Steps run while holding the lock.' })),
          },
          { ...closed, description: 'Take a lock, hold it for `hold`, run `steps`, release it.' },
        ),
        Type.Object({ rcu: Type.Literal('expedited', { description: 'synchronize_rcu_expedited().' }) }, { ...closed, description: 'Wait for an expedited RCU grace period.' }),
        Type.Object(
          {
            repeat: CountSchema,
            steps: Type.Array(Step),
          },
          { ...closed, description: 'Run `steps` a counted number of times.' },
        ),
        Type.Object(
          {
            call: Type.String({ minLength: 1, description: 'A procedure of the runtime or node model, or a syscall of the kernel model.' }),
            countsAsMountOp: Type.Optional(Type.Boolean({ description: 'Counts as one mount operation (R1).' })),
            onBusy: Type.Optional(
              Type.Union(
                [
                  Type.Literal('leave', { description: 'EBUSY is logged and the mount left in place (it stays in the table).' }),
                  Type.Object(
                    {
                      retries: CountSchema,
                      wait: DurationRef,
                    },
                    { ...closed, description: 'Retry the call after `wait`, at most `retries` times, then leave the mount.' },
                  ),
                ],
                { description: "What the caller does when the syscall returns EBUSY (a `busy: return` step in it found the mount busy). Default: leave.", expected: 'leave, or {retries, wait}' },
              ),
            ),
          },
          { ...closed, description: 'Call a procedure or syscall.' },
        ),
        Type.Object({ mounts: Type.Integer({ description: 'Change of the host mount table (+1 attach, -1 detach).' }) }, { ...closed, description: 'Attach or detach host mounts.' }),
        Type.Object({ window: Type.Union([Type.Literal('enter'), Type.Literal('leave')]) }, { ...closed, description: "runc's setup window: between unshare and the detach of the old root the new namespace receives propagation." }),
        Type.Object(
          {
            busy: Type.Union([Type.Literal('return'), Type.Literal('detach')], {
              description: 'return: the busy check of umount(2) without MNT_DETACH (propagate_mount_busy); when it finds extra references the syscall returns EBUSY here, releasing the locks it holds. detach: MNT_DETACH, the mount goes whatever references remain.',
            }),
          },
          { ...closed, description: 'Where an umount meets the mount it removes: the mount this thread opened an fd on earliest and has not unmounted, busy while a forked helper holding that fd lives.' },
        ),
        Type.Object(
          { fork: DurationRef },
          { ...closed, description: 'The thread forks a helper process (no exec) that inherits every open fd of the daemon and lives for this much on-CPU work of the parent (containerd GetUsernsFD).' },
        ),
        Type.Object(
          { fd: Type.Union([Type.Literal('open'), Type.Literal('close')]) },
          { ...closed, description: 'The thread holds an fd on the mount it is making (open_tree) from `open` to `close`: a helper forked meanwhile keeps the mount busy.' },
        ),
      ],
      { expected: 'a step: a mapping with exactly one of walk, cpu, sleep, lock, rcu, repeat, call, mounts, window, busy, fork, fd' },
    ),
  { $id: 'Step' },
);

const StepsSchema = Type.Array(StepSchema, { description: 'Steps, in order.' });

export const KernelFileSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    name: ModelName,
    description: Type.Optional(Type.String()),
    locks: Type.Record(
      Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
      Type.Object(
        {
          kind: Type.Union([Type.Literal('seqlock'), Type.Literal('rwsem')], { description: 'seqlock: a qspinlock and a sequence count on one line; rwsem: a reader-writer semaphore with optimistic spinning.' }),
          models: Models,
        },
        closed,
      ),
      { description: 'The global locks the recipes take, by name.' },
    ),
    walks: Type.Object(
      {
        seqlock: Type.String({ minLength: 1, description: 'The seqlock whose count path_init reads (lockless readers spin while it is odd).' }),
        models: Models,
      },
      { ...closed, description: 'What a path lookup reads.' },
    ),
    mountinfo: Type.Object(
      {
        rwsem: Type.String({ minLength: 1, description: 'The rwsem m_start takes for read on every read() of /proc/<pid>/mountinfo.' }),
        seqlock: Type.String({ minLength: 1, description: "The seqlock prepend_path reads per line, retrying under its spinlock when a write moved the count." }),
        models: Models,
      },
      { ...closed, description: 'What a read of the mount table takes.' },
    ),
    parameters: ParametersSchema,
    syscalls: Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.Object({ models: Models, steps: StepsSchema }, closed), {
      description: 'Each syscall on the launch path as ordered steps.',
    }),
  },
  { ...closed, description: 'A kernel model: locks, parameters and per-syscall recipes.' },
);

export const NodeFileSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    name: ModelName,
    description: Type.Optional(Type.String()),
    parameters: Type.Optional(ParametersSchema),
    procedures: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), StepsSchema, { description: 'User-space procedures (runc) over the kernel syscalls.' })),
    environment: Type.Object(
      {
        sandboxedServices: ParameterSchema,
        baselineHostMounts: ParameterSchema,
        pathWalksPerCpuPerSecond: ParameterSchema,
        systemd: Type.Object(
          {
            enabled: Type.Optional(Type.Boolean({ default: true })),
            rateLimitBurst: Type.Integer({ minimum: 1, description: 'Dispatches of the mount event source per rate-limit interval.' }),
            rateLimitInterval: Type.String({ minLength: 1, description: 'The rate-limit interval, a duration.' }),
            source: Type.String({ minLength: 1 }),
            mountEventPriority: Type.Integer({ description: "sd-event priority of the mount event source (smaller is dispatched first; SD_EVENT_PRIORITY_NORMAL = 0)." }),
            dbusPriority: Type.Integer({ description: 'sd-event priority of the D-Bus connection (method calls such as the node health check).' }),
            prioritySource: Type.String({ minLength: 1, description: 'Where the two priorities come from.' }),
            readBytes: Type.Integer({ minimum: 64, maximum: 1048576, description: "Bytes per read() of /proc/self/mountinfo: namespace_sem is taken once per read()." }),
            readSource: Type.String({ minLength: 1, description: 'Where the read size comes from.' }),
            parsePerLine: ParameterSchema,
          },
          closed,
        ),
        kubelet: Type.Object(
          {
            enabled: Type.Optional(Type.Boolean({ default: true })),
            mountinfoEvery: Type.String({ minLength: 1 }),
            source: Type.String({ minLength: 1 }),
            readBytes: Type.Integer({ minimum: 64, maximum: 1048576, description: "Bytes per read() of kubelet's (cAdvisor's) mountinfo reads." }),
            readSource: Type.String({ minLength: 1, description: 'Where the read size comes from.' }),
            cri: Type.Object(
              {
                retryBackoff: Type.String({ minLength: 1, description: 'After a CRI request times out, the pod worker retries after this long ...' }),
                retryJitter: Type.Number({ minimum: 0, maximum: 1, description: '... stretched by up to this share (wait.Jitter).' }),
                source: Type.String({ minLength: 1 }),
              },
              { ...closed, description: "kubelet's CRI request retries (the request timeout itself is the scenario's deadlines.runtimeRequest)." },
            ),
            pleg: Type.Object(
              {
                relistEvery: Type.String({ minLength: 1, description: 'PLEG relist period.' }),
                unhealthyAfter: Type.String({ minLength: 1, description: 'PLEG is unhealthy (the node NotReady) when no relist completed for this long.' }),
                source: Type.String({ minLength: 1 }),
              },
              closed,
            ),
            runtimeStatus: Type.Object(
              {
                every: Type.String({ minLength: 1, description: 'updateRuntimeUp: a CRI Status call this often.' }),
                downAfter: Type.String({ minLength: 1, description: '"container runtime is down" when no Status call succeeded for this long: pod syncs stop.' }),
                source: Type.String({ minLength: 1 }),
              },
              closed,
            ),
          },
          closed,
        ),
        nodeHealthCheck: Type.Object({ enabled: Type.Optional(Type.Boolean({ default: true })), every: Type.String({ minLength: 1 }), source: Type.String({ minLength: 1 }) }, closed),
        scheduler: Type.Object({ contextSwitch: ParameterSchema }, closed),
      },
      { ...closed, description: 'The software around the runtime: propagation receivers, background readers, the health check, the scheduler.' },
    ),
  },
  { ...closed, description: 'A node model: the software on a node around the container runtime.' },
);

export const RuntimeFileSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    name: ModelName,
    description: Type.Optional(Type.String()),
    source: Type.Optional(Type.String({ description: 'The runtime code this models.' })),
    procedures: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), StepsSchema, { description: 'Procedures the passes call.' })),
    passes: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1 }),
          request: Type.String({ minLength: 1, description: 'The CRI request this pass answers, e.g. CreateContainer (kubelet times each).' }),
          before: Type.Optional(Type.String({ minLength: 1, description: 'Off-CPU time before the request starts (kubelet and containerd work between requests not modelled as CPU): a duration parameter or a duration.', expected: 'a duration parameter name or a duration such as "300 ms"' })),
          steps: StepsSchema,
        },
        closed,
      ),
      { minItems: 1, description: 'The passes one container launch runs, in order.' },
    ),
  },
  { ...closed, description: 'A container runtime model: the procedures of one launch.' },
);

export type ParameterFile = Static<typeof ParameterSchema>;
export type StepFile = Static<typeof StepSchema>;
export type KernelFile = Static<typeof KernelFileSchema>;
export type NodeFile = Static<typeof NodeFileSchema>;
export type RuntimeFile = Static<typeof RuntimeFileSchema>;

/** Every model-file kind with a schema, for the emitted JSON Schemas. */
export const MODEL_FILE_SCHEMAS: Readonly<Record<'kernel' | 'node' | 'runtime', TSchema>> = {
  kernel: KernelFileSchema,
  node: NodeFileSchema,
  runtime: RuntimeFileSchema,
};
