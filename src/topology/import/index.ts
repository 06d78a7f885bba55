/**
 * `locksim models import`: a machine file for the host from its sysfs layout,
 * with latency classes from a core-to-core matrix or from a pinned ping-pong
 * measurement (upper bounds; see measure.ts).
 */
import { resolve } from 'node:path';
import { importC2cMatrix } from '../c2c.js';
import { InputError } from '../../input/errors.js';
import { classStatsFromMatrix, hostMachineFile, hostTopology, medianOf, pairClass, representativePairs, type ClassStats, type HostTopology, type LatencyEvidence, type PairClass } from './host-file.js';
import { IMPLAUSIBLE_ONE_WAY_NS, MEASUREMENT_LIMITS, measurePair, type PairMeasurement } from './measure.js';
import { readSysfsLayout } from './sysfs.js';

export { DEFAULT_SYSFS_ROOT, readCpuModel, readSysfsLayout, type SysfsCpu, type SysfsLayout } from './sysfs.js';
export { hostTopology, pairClass, representativePairs, type HostTopology, type PairClass } from './host-file.js';
export { MEASUREMENT_LIMITS, measurePair } from './measure.js';

export interface ImportHostOptions {
  /** The directory holding cpu/ and node/ (on Linux, /sys/devices/system). */
  readonly sysfsRoot: string;
  readonly name: string;
  readonly cpuModel: string;
  readonly price: { readonly usdPerHour: number; readonly date: string };
  /** A core-to-core matrix of this host; absent: measure (only on the host itself). */
  readonly c2c?: string;
  /** CPU pairs measured per distance class when measuring. */
  readonly pairsPerClass?: number;
  readonly outFile: string;
  /** Replaces the measurement (tests); called once per pair. */
  readonly measure?: (a: number, b: number) => PairMeasurement;
}

export interface ImportedHost {
  readonly text: string;
  readonly topology: HostTopology;
  readonly classes: ReadonlyMap<PairClass, ClassStats>;
  readonly measured: readonly PairMeasurement[];
}

const CLASS_WORDS: Record<PairClass, string> = { smt: 'SMT siblings', sameDomain: 'cores sharing an L3', crossDomain: 'cores on different L3s of a socket', crossSocket: 'cores on different sockets' };

export function importHostMachine(options: ImportHostOptions): ImportedHost {
  const layout = readSysfsLayout(options.sysfsRoot);
  const topology = hostTopology(layout);
  const layoutWords = `${topology.sockets} socket(s) x ${topology.coresPerSocket} cores x ${topology.threadsPerCore} thread(s), ${topology.l3DomainsPerSocket} L3 domain(s) and ${topology.numaNodesPerSocket} NUMA node(s) per socket`;
  let classes: Map<PairClass, ClassStats>;
  let evidence: LatencyEvidence;
  const measured: PairMeasurement[] = [];
  if (options.c2c !== undefined) {
    const file = resolve(options.c2c);
    const matrix = importC2cMatrix(file);
    classes = classStatsFromMatrix(matrix, topology.cpus, options.c2c);
    evidence = {
      basis: 'measured',
      source: (cls, s) => `${options.c2c}: ${CLASS_WORDS[cls]}, ${s.pairs} pairs, min ${Math.round(s.minNs * 10) / 10} / median ${Math.round(s.medianNs * 10) / 10} ns; base = min, median ~ base + offsetMax`,
      costTable: file,
    };
  } else {
    const measure = options.measure ?? measurePair;
    classes = new Map();
    for (const [cls, pairs] of representativePairs(topology.cpus, options.pairsPerClass ?? 3)) {
      const results = pairs.map(([a, b]) => measure(a, b));
      measured.push(...results);
      const bad = results.find((r) => !(r.oneWayNs > 0 && r.oneWayNs < IMPLAUSIBLE_ONE_WAY_NS));
      if (bad !== undefined) {
        throw new InputError(`the ping-pong between CPUs ${bad.cpus[0]} and ${bad.cpus[1]} gave ${Math.round(bad.oneWayNs)} ns one way, not a cache-line transfer`, {
          file: 'measurement',
          expected: `under ${IMPLAUSIBLE_ONE_WAY_NS} ns (the two threads running at once on the two CPUs)`,
          found: `${Math.round(bad.oneWayNs)} ns`,
          hint: 'The host is too busy or the CPUs are not both available to this process; measure when it is idle, or give --c2c FILE.',
        });
      }
      const values = results.map((r) => r.oneWayNs);
      classes.set(cls, { pairs: results.length, minNs: medianOf(values), medianNs: medianOf(values) });
    }
    evidence = {
      basis: 'measured',
      source: (cls, s) => `${MEASUREMENT_LIMITS}; ${CLASS_WORDS[cls]}: median of ${s.pairs} pair(s) (${measured.filter((m) => pairClass(topology.cpus[m.cpus[0]], topology.cpus[m.cpus[1]]) === cls).map((m) => `${m.cpus[0]}-${m.cpus[1]} ${Math.round(m.oneWayNs * 10) / 10}`).join(', ')} ns); no per-core offsets`,
    };
  }
  const latencyWords = options.c2c !== undefined ? `latency classes are the medians of ${options.c2c} over the pairs of each class, and the matrix is the cost table` : 'latency classes were measured by a pinned Node ping-pong and are upper bounds (see each source)';
  const text = hostMachineFile({
    name: options.name,
    cpuModel: options.cpuModel,
    description: `This host as sysfs (${options.sysfsRoot}) describes it: ${layoutWords}; ${latencyWords}. Coherence and memory values are not measured here: they are the estimates the shipped families use, with their ranges.`,
    price: { ...options.price, source: 'given to locksim models import with --price' },
    topology,
    classes,
    evidence,
    outFile: options.outFile,
  });
  return { text, topology, classes, measured };
}
