/**
 * Reads a host's CPU layout from sysfs: which package (socket), core and L3
 * domain every online CPU sits in, and which NUMA node holds it. The root is
 * the directory Linux mounts at /sys/devices/system (it holds `cpu/` and
 * `node/`), so tests point the reader at captured trees of other machines.
 *
 * Files read (Documentation/ABI/stable/sysfs-devices-system-cpu and
 * Documentation/ABI/testing/sysfs-devices-system-cpu of the kernel):
 *   cpu/online, cpu/present, cpu/possible
 *   cpu/cpuN/topology/physical_package_id, core_id, thread_siblings_list
 *   cpu/cpuN/cache/indexK/level, shared_cpu_list (the index whose level is 3)
 *   node/nodeM/cpulist (absent on a kernel without NUMA: one node)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../input/errors.js';
import { formatCpuList, parseCpuList } from '../../input/cpulist.js';

export const DEFAULT_SYSFS_ROOT = '/sys/devices/system';

/** One online CPU as sysfs describes it. */
export interface SysfsCpu {
  readonly id: number;
  readonly packageId: number;
  readonly coreId: number;
  /** The CPUs of its core (itself included), ascending. */
  readonly siblings: readonly number[];
  /** The CPUs sharing its L3 (itself included), ascending. */
  readonly l3: readonly number[];
  /** Its NUMA node. */
  readonly node: number;
}

export interface SysfsLayout {
  readonly root: string;
  /** Online CPUs, ascending id. */
  readonly cpus: readonly SysfsCpu[];
  /** Present CPUs (cpu/present; cpu/possible when absent): each must be online. */
  readonly present: readonly number[];
  /** Possible CPUs (cpu/possible): may include hotplug slots beyond the present ones. */
  readonly possible: readonly number[];
  /** True when the tree has no node/ directory (a kernel without NUMA): every CPU is on node 0. */
  readonly noNumaDirectory: boolean;
}

const MAX_SYSFS_BYTES = 64 * 1024;

function readSysfsText(file: string, expected: string): string {
  if (!existsSync(file)) throw new InputError('a sysfs file is missing', { file, expected, found: 'no such file', hint: 'Point --sysfs at the directory that holds cpu/ and node/ (on Linux, /sys/devices/system).' });
  const size = statSync(file).size;
  if (size > MAX_SYSFS_BYTES) throw new InputError('a sysfs file is larger than any sysfs attribute', { file, expected, found: `${size} bytes` });
  const text = readFileSync(file, 'utf8').trim();
  if (text === '') throw new InputError('a sysfs file is empty', { file, expected, found: 'an empty file' });
  return text;
}

function readInteger(file: string, expected: string): number {
  const text = readSysfsText(file, expected);
  if (!/^-?\d+$/.test(text)) throw new InputError('a sysfs file does not hold an integer', { file, expected, found: JSON.stringify(text.slice(0, 40)) });
  return Number(text);
}

function readList(file: string, expected: string): number[] {
  const text = readSysfsText(file, expected);
  return parseCpuList(text, { file, expected });
}

/** The cache index of a CPU whose level is 3, or null when the CPU reports no L3. */
function l3IndexOf(cpuDir: string): string | null {
  const cacheDir = join(cpuDir, 'cache');
  if (!existsSync(cacheDir)) return null;
  const indexes = readdirSync(cacheDir)
    .filter((name) => /^index\d+$/.test(name))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  for (const index of indexes) {
    const levelFile = join(cacheDir, index, 'level');
    if (existsSync(levelFile) && readInteger(levelFile, 'a cache level such as 3') === 3) return join(cacheDir, index);
  }
  return null;
}

export function readSysfsLayout(root: string = DEFAULT_SYSFS_ROOT): SysfsLayout {
  const cpuRoot = join(root, 'cpu');
  if (!existsSync(cpuRoot)) {
    throw new InputError('not a sysfs tree: it has no cpu/ directory', { file: root, expected: 'the directory that holds cpu/ and node/ (on Linux, /sys/devices/system)', found: 'no cpu/ directory' });
  }
  const online = readList(join(cpuRoot, 'online'), 'the online CPUs as a CPU list, such as 0-95');
  const possible = existsSync(join(cpuRoot, 'possible')) ? readList(join(cpuRoot, 'possible'), 'the possible CPUs as a CPU list') : online;
  const present = existsSync(join(cpuRoot, 'present')) ? readList(join(cpuRoot, 'present'), 'the present CPUs as a CPU list') : possible;

  const nodeRoot = join(root, 'node');
  const noNumaDirectory = !existsSync(nodeRoot);
  const nodeOf = new Map<number, number>();
  if (!noNumaDirectory) {
    const nodes = readdirSync(nodeRoot)
      .filter((name) => /^node\d+$/.test(name))
      .map((name) => Number(name.slice(4)))
      .sort((a, b) => a - b);
    for (const node of nodes) {
      for (const cpu of readList(join(nodeRoot, `node${node}`, 'cpulist'), 'the CPUs of the node as a CPU list (possibly empty on a memory-only node)')) {
        const other = nodeOf.get(cpu);
        if (other !== undefined) throw new InputError(`CPU ${cpu} is listed in two NUMA nodes`, { file: join(nodeRoot, `node${node}`, 'cpulist'), expected: 'each CPU in one node', found: `also in node${other}` });
        nodeOf.set(cpu, node);
      }
    }
  }

  const cpus = online.map((id): SysfsCpu => {
    const dir = join(cpuRoot, `cpu${id}`);
    const topology = join(dir, 'topology');
    const packageId = readInteger(join(topology, 'physical_package_id'), 'the socket (package) number of the CPU');
    const coreId = readInteger(join(topology, 'core_id'), 'the core number of the CPU within its package');
    const siblings = readList(join(topology, 'thread_siblings_list'), 'the hardware threads of the CPU\'s core as a CPU list');
    if (!siblings.includes(id)) {
      throw new InputError(`CPU ${id} is not among its own thread siblings`, { file: join(topology, 'thread_siblings_list'), expected: `a list that includes ${id}`, found: formatCpuList(siblings) });
    }
    const index = l3IndexOf(dir);
    if (index === null) {
      throw new InputError(`CPU ${id} reports no level-3 cache`, {
        file: join(dir, 'cache'),
        expected: 'a cache/indexK directory whose level is 3 (its shared_cpu_list names the L3 domain)',
        found: existsSync(join(dir, 'cache')) ? 'no index with level 3' : 'no cache/ directory',
        hint: 'locksim models a machine by its L3 domains; a part without an L3 (or a VM that hides it) needs the layout written by hand.',
      });
    }
    const l3 = readList(join(index, 'shared_cpu_list'), 'the CPUs sharing the L3 as a CPU list');
    if (!l3.includes(id)) throw new InputError(`CPU ${id} is not among the CPUs sharing its own L3`, { file: join(index, 'shared_cpu_list'), expected: `a list that includes ${id}`, found: formatCpuList(l3) });
    let node = 0;
    if (!noNumaDirectory) {
      const found = nodeOf.get(id);
      if (found === undefined) throw new InputError(`CPU ${id} is online but in no NUMA node`, { file: nodeRoot, expected: `a node*/cpulist naming CPU ${id}`, found: 'none' });
      node = found;
    }
    return { id, packageId, coreId, siblings, l3, node };
  });
  return { root, cpus, present, possible, noNumaDirectory };
}

/** The CPU model the host reports (first `model name` of /proc/cpuinfo, or Arm's `CPU part`), or null. */
export function readCpuModel(cpuinfo = '/proc/cpuinfo'): string | null {
  if (!existsSync(cpuinfo)) return null;
  const text = readFileSync(cpuinfo, 'utf8');
  const name = /^model name\s*:\s*(.+)$/m.exec(text)?.[1]?.trim();
  if (name !== undefined && name !== '') return name;
  const part = /^CPU part\s*:\s*(\S+)$/m.exec(text)?.[1];
  const implementer = /^CPU implementer\s*:\s*(\S+)$/m.exec(text)?.[1];
  return part !== undefined ? `Arm CPU implementer ${implementer ?? '?'} part ${part}` : null;
}
