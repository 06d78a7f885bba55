import type { Argv } from 'yargs';
import { basename, join, resolve } from 'node:path';
import { existsSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { formatTable } from '../../report/table.js';
import type { CommandContext } from '../context.js';
import { formatCpuList, parseCpuList } from '../../input/cpulist.js';
import { InputError } from '../../input/errors.js';
import { outputHead } from '../../input/package-info.js';
import { fitMeshModel } from '../../study/mesh-fit.js';
import { formatDurationNs } from '../../input/units.js';
import { DEFAULT_SYSFS_ROOT, MEASUREMENT_LIMITS, buildTopology, findMachineModel, importC2cMatrix, importHostMachine, listMachineModels, loadMachineModel, parseMachineSpec, readCpuModel, resolveMachine } from '../../topology/index.js';
import { DEFAULT_MODELS_ROOT, ModelCatalog } from '../../input/catalog.js';
import type { MachineModel, MachineParameter } from '../../topology/index.js';
import type { Topology } from '../../topology/index.js';
import { topologyHeatmapSpec } from '../../charts/heatmap.js';
import { renderChart } from '../../report/render.js';
import { ensureWritableDir, writeFileAtomic } from '../../report/atomic.js';

/** `locksim models` (list families) and `locksim models show NAME` (layout + heatmap). */
export function registerModels(cli: Argv, context: CommandContext): Argv {
  return cli.command('models', 'List machine families, show one (`models show NAME`), or write one for this host (`models import`)', (y) =>
    y
      .option('models-dir', { type: 'string', default: join(DEFAULT_MODELS_ROOT, 'machines'), describe: 'directory of machine model files' })
      .command(
        '$0',
        'List machine families (sockets, cores, threads, L3 domains, NUMA nodes, price)',
        (yy) => yy.option('json', { type: 'boolean', default: false, describe: 'print the rows as JSON' }),
        (argv) => {
          const models = listMachineModels(machineCatalog(argv['models-dir']));
          if (argv.json) context.out(JSON.stringify(models.map(summaryRow), null, 2));
          else context.out(renderModelList(models));
        },
      )
      .command(
        'show <name>',
        'Print a family\'s layout and write its CPU-to-CPU cost heatmap (vega-lite, SVG, PNG)',
        (yy) =>
          yy
            .positional('name', { type: 'string', demandOption: true, describe: 'family, optionally with variants: m7i.metal-24xl+ht-off' })
            .option('variant', { type: 'string', array: true, describe: 'variant suffix(es): ht-off, one-socket, socketN, homeN, cpuset=LIST' })
            .option('out', { type: 'string', default: join('reports', 'models'), describe: 'directory for the heatmap files' })
            .example('$0 models show m7a.metal-48xl', 'layout and heatmap of the 2-socket Genoa')
            .example('$0 models show r5.metal --variant ht-off', 'r5.metal with hyper-threading off'),
        async (argv) => {
          const spec = [argv.name, ...(argv.variant ?? []).map((v) => v.replace(/^\+/, ''))].join('+');
          const catalog = machineCatalog(argv['models-dir']);
          const topology = resolveMachine(spec, catalog);
          const { family } = parseMachineSpec(spec);
          const model = findMachineModel(family, catalog);
          context.out(renderLayout(model, topology));
          await ensureWritableDir(argv.out);
          const chart = topologyHeatmapSpec(topology);
          const rendered = await renderChart(chart);
          const stem = join(argv.out, `${topology.name}-heatmap`);
          await writeFileAtomic(`${stem}.vl.json`, `${JSON.stringify(chart, null, 2)}\n`);
          await writeFileAtomic(`${stem}.svg`, rendered.svg);
          await writeFileAtomic(`${stem}.png`, rendered.png);
          context.out(`\nwrote ${stem}.vl.json, .svg, .png`);
        },
      )
      .command(
        'fit <file>',
        'Fit the additive mesh model (c + a_i + a_j) to a core-to-core latency CSV, for a machine file\'s `latency.sameDomain`',
        (yy) =>
          yy
            .positional('file', { type: 'string', demandOption: true, describe: 'a core-to-core-latency CSV (nviennot/core-to-core-latency --csv)' })
            .option('cpus', { type: 'string', describe: 'the CPUs of one mesh (one socket), as a CPU list: 0-23 (default: every CPU of the file)' })
            .option('json', { type: 'boolean', default: false, describe: 'print the fit as JSON' })
            .example('$0 models fit mine.csv --cpus 0-23', 'the first socket of a 2-socket machine'),
        async (argv) => {
          const matrix = importC2cMatrix(argv.file);
          const cpus = argv.cpus === undefined ? undefined : parseCpuList(argv.cpus, { file: '--cpus' });
          if (cpus !== undefined && cpus.some((cpu) => cpu >= matrix.cpus)) {
            throw new InputError('CPU not in the matrix', { file: '--cpus', expected: `CPUs 0-${matrix.cpus - 1} (the file has ${matrix.cpus} rows)`, found: argv.cpus });
          }
          if ((cpus?.length ?? matrix.cpus) < 3) throw new InputError('too few CPUs to fit', { file: '--cpus', expected: 'at least 3 CPUs', found: argv.cpus ?? `${matrix.cpus}` });
          const fit = await fitMeshModel(matrix, cpus);
          if (argv.json) {
            context.out(JSON.stringify({ ...outputHead(), file: argv.file, ...fit }, null, 2));
            return;
          }
          const ns = (value: number): string => `${Number(value.toFixed(1))} ns`;
          context.out(
            [
              `${argv.file}: ${fit.cpus.length} CPUs, ${fit.pairs} measured pairs, median ${ns(fit.medianNs)}`,
              `fit: c = ${ns(fit.baseNs)}, a_i 0-${ns(fit.offsetMaxNs)} (median ${ns(fit.offsetMedianNs)}), R2 ${fit.r2.toFixed(3)}, RMSE ${ns(fit.rmseNs)}`,
              '',
              'for the machine file:',
              `  sameDomain: { base: ${ns(fit.baseNs)}, offsetMax: ${ns(fit.offsetMaxNs)}, basis: measured, source: "additive fit of ${argv.file.replaceAll('"', "'")}${argv.cpus === undefined ? '' : ` CPUs ${argv.cpus}`}: c = ${fit.baseNs.toFixed(1)}, a_i 0-${fit.offsetMaxNs.toFixed(1)}, R2 ${fit.r2.toFixed(3)}; median ${fit.medianNs.toFixed(1)}" }`,
            ].join('\n'),
          );
        },
      )
      .command(
        'import',
        'Write a machine file for the host it runs on: layout from sysfs, latency classes from a c2c CSV (--c2c) or a pinned ping-pong (upper bounds)',
        (yy) =>
          yy
            .option('price', { type: 'number', describe: 'what the host costs, US dollars per hour (a machine file needs a price: locksim plan ranks by it)' })
            .option('c2c', { type: 'string', describe: 'a core-to-core latency CSV of this host (nviennot/core-to-core-latency --csv), one row per CPU; without it the classes are measured' })
            .option('sysfs', { type: 'string', default: DEFAULT_SYSFS_ROOT, describe: 'the directory holding cpu/ and node/ (a captured tree of another machine needs --c2c)' })
            .option('name', { type: 'string', describe: 'family name (default: host-<hostname>)' })
            .option('cpu-model', { type: 'string', describe: 'CPU model (default: model name from /proc/cpuinfo)' })
            .option('price-date', { type: 'string', describe: 'when the price was read, YYYY-MM-DD (default: today)' })
            .option('pairs', { type: 'number', default: 3, describe: 'CPU pairs measured per distance class (without --c2c)' })
            .option('out', { type: 'string', describe: 'the file to write (default: ./<name>.yaml)' })
            .option('force', { type: 'boolean', default: false, describe: 'overwrite an existing file' })
            .example('$0 models import --price 0.5', 'measure this host (upper bounds) and write ./host-<hostname>.yaml')
            .example('$0 models import --price 4.1 --c2c mine.csv --name lab-box', 'classes and cost table from a measured matrix'),
        async (argv) => {
          const price = argv.price;
          if (price === undefined || !Number.isFinite(price) || price <= 0) {
            throw new InputError('a machine file needs a price', { file: '--price', expected: 'US dollars per hour > 0 (what the host costs you; locksim plan ranks machines by it)', found: price === undefined ? 'nothing' : String(price) });
          }
          const date = argv['price-date'] ?? new Date().toISOString().slice(0, 10);
          if (!/^\d{4}-\d{2}(-\d{2})?$/.test(date)) throw new InputError('not a date', { file: '--price-date', expected: 'YYYY-MM-DD', found: date });
          const pairs = argv.pairs;
          if (!Number.isInteger(pairs) || pairs < 1 || pairs > 64) throw new InputError('not a pair count', { file: '--pairs', expected: 'an integer 1-64', found: String(pairs) });
          const sysfs = resolve(argv.sysfs);
          if (argv.c2c === undefined && sysfs !== DEFAULT_SYSFS_ROOT) {
            throw new InputError('a captured sysfs tree is not this host, so its latencies cannot be measured here', { file: '--sysfs', expected: `--c2c FILE with the matrix of that machine, or the host's own ${DEFAULT_SYSFS_ROOT}`, found: argv.sysfs });
          }
          const hostName = hostname().toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+/, '');
          // The loader names a family after its file, so --out alone names it, and --name with another --out is refused before measuring.
          const outStem = argv.out === undefined ? undefined : basename(argv.out).replace(/\.ya?ml$/i, '');
          const name = argv.name ?? outStem ?? `host-${hostName || 'local'}`;
          if (outStem !== undefined && outStem !== name) {
            throw new InputError('the family name and the file name differ (a machine file is named after its family)', { file: '--out', expected: `${name}.yaml`, found: argv.out ?? '' });
          }
          if (argv.out !== undefined && !/\.ya?ml$/i.test(argv.out)) throw new InputError('not a YAML file name', { file: '--out', expected: `a name ending in .yaml, such as ${name}.yaml`, found: argv.out });
          if (!/^[a-z0-9][a-z0-9.-]*$/.test(name)) throw new InputError('not a family name', { file: '--name', expected: 'lower-case letters, digits, dots and dashes, such as "lab-box"', found: name });
          const cpuModel = argv['cpu-model'] ?? (sysfs === DEFAULT_SYSFS_ROOT ? readCpuModel() : null);
          if (cpuModel === null || cpuModel.trim() === '') throw new InputError('the CPU model is unknown', { file: '--cpu-model', expected: 'the CPU model, such as "Intel Xeon Platinum 8375C"', found: 'nothing in /proc/cpuinfo' });
          const out = argv.out ?? `${name}.yaml`;
          if (existsSync(out) && !argv.force) throw new InputError('the file exists', { file: '--out', expected: 'a new file, or --force', found: out });
          if (argv.c2c === undefined) context.err(`measuring this host: a pinned Node ping-pong per CPU pair (${MEASUREMENT_LIMITS.split(';')[0]})`);
          const imported = importHostMachine({ sysfsRoot: sysfs, name, cpuModel, price: { usdPerHour: price, date }, c2c: argv.c2c, pairsPerClass: pairs, outFile: out });
          await writeFileAtomic(out, imported.text);
          // Written whole or not at all: a file the loader refuses (a bug of the importer, reported with the file) is taken back.
          let model: MachineModel;
          try {
            model = loadMachineModel(resolve(out));
          } catch (error) {
            rmSync(out, { force: true });
            throw error;
          }
          context.out(renderLayout(model, buildTopology(model)));
          for (const note of imported.topology.notes) context.out(`note: ${note}`);
          context.out(`\nwrote ${out}; use it as \`machine: ./${basename(out)}\` in a scenario beside it, or put it in a folder given to --models / LOCKSIM_MODELS_PATH`);
        },
      )
      .demandCommand(0),
  );
}

/** A catalog whose machine files are in `dir`. */
function machineCatalog(dir: string): ModelCatalog {
  return new ModelCatalog(DEFAULT_MODELS_ROOT, { machines: resolve(dir) });
}

function summaryRow(m: MachineModel): Record<string, string | number> {
  return {
    name: m.name,
    cpu: m.cpuModel,
    kind: m.kind,
    sockets: m.sockets,
    cores: m.sockets * m.coresPerSocket,
    threads: m.vcpus,
    l3Domains: m.sockets * m.domainsPerSocket,
    numaNodes: m.numaNodes,
    usdPerHour: m.priceUsdPerHour,
    priceDate: m.priceDate,
    ...(m.variantOf !== undefined ? { variantOf: m.variantOf } : {}),
  };
}

export function renderModelList(models: readonly MachineModel[]): string {
  return formatTable(
    ['name', 'cpu', 'kind', 'sockets', 'cores', 'threads', 'L3 domains', 'NUMA nodes', '$/h', 'price date'],
    models.map((m) => [
      m.variantOf !== undefined ? `${m.name} (variant of ${m.variantOf})` : m.name,
      m.cpuModel,
      m.kind,
      String(m.sockets),
      String(m.sockets * m.coresPerSocket),
      String(m.vcpus),
      String(m.sockets * m.domainsPerSocket),
      String(m.numaNodes),
      m.priceUsdPerHour.toFixed(4),
      m.priceDate,
    ]),
  );
}

/** Sockets → L3 domains → cores with their sibling CPUs, compact; then the cost parameters with their basis. */
export function renderLayout(model: MachineModel, topology: Topology): string {
  const lines: string[] = [];
  const online = new Set(topology.cpus.map((c) => c.id));
  lines.push(`${topology.name}: ${model.cpuModel}, ${topology.kind}`);
  lines.push(
    `  ${model.sockets} socket(s) x ${model.coresPerSocket} cores x ${topology.threadsPerCore} thread(s); ${topology.domainCount} L3 domain(s), ${topology.nodeCount} NUMA node(s); ` +
      `${topology.cpus.length} of ${topology.possibleCpus.length} possible CPUs online; kernel globals on node ${topology.globalsHomeNode}`,
  );
  lines.push(`  $${model.priceUsdPerHour}/h (${model.priceDate}; ${model.priceSource})`);
  for (let socket = 0; socket < topology.socketCount; socket++) {
    const socketCpus = topology.possibleCpus.filter((c) => c.socket === socket);
    const nodes = [...new Set(socketCpus.map((c) => c.node))];
    lines.push(`  socket ${socket} (node ${nodes.join(', ')}): CPUs ${formatCpuList(socketCpus.map((c) => c.id))}${socketCpus.some((c) => online.has(c.id)) ? '' : '  [offline for the workload]'}`);
    const domains = [...new Set(socketCpus.map((c) => c.domain))];
    for (const domain of domains) {
      const cpus = socketCpus.filter((c) => c.domain === domain);
      const cores = [...new Set(cpus.map((c) => c.core))];
      const pairs = cores.map((core) => cpus.filter((c) => c.core === core).map((c) => c.id).join('/'));
      const shown = pairs.length > 12 ? [...pairs.slice(0, 6), '...', ...pairs.slice(-3)] : pairs;
      lines.push(`    L3 ${domain}: ${cores.length} cores [${shown.join(' ')}]`);
    }
  }
  const l = model.latency;
  const row = (name: string, text: string | undefined): void => {
    if (text !== undefined) lines.push(`  ${name.padEnd(22)} ${text}`);
  };
  lines.push('  one-way transfer costs:');
  row('smt sibling', topology.threadsPerCore > 1 && l.smt ? `${formatDurationNs(l.smt.value)} [${l.smt.basis}]` : undefined);
  row('same L3 domain', `${formatDurationNs(l.sameDomain.baseNs)} + a_i + a_j, a ~ U[0, ${formatDurationNs(l.sameDomain.offsetMaxNs)}] [${l.sameDomain.basis}]`);
  row('cross L3 domain', l.crossDomain && `${formatDurationNs(l.crossDomain.sameGroupNs)} same group of ${l.crossDomain.groupSize}, ${formatDurationNs(l.crossDomain.otherGroupNs)} otherwise [${l.crossDomain.basis}]`);
  row('cross-CCD, remote home', l.remoteHomeCrossDomain && `${formatDurationNs(l.remoteHomeCrossDomain.value)} [${l.remoteHomeCrossDomain.basis}]`);
  row('cross socket', l.crossSocket && `${formatDurationNs(l.crossSocket.baseNs)} + a_i + a_j, a ~ U[0, ${formatDurationNs(l.crossSocket.offsetMaxNs)}] [${l.crossSocket.basis}]`);
  row('cost table', model.costTable && `${model.costTable.file.replace(/^.*\/data\//, 'data/')} (measured pairs override the classes)`);
  lines.push('  coherence:');
  const p = model.parameters;
  const range = (parameter: MachineParameter, format: (v: number) => string): string => `${format(parameter.value)} (range ${format(parameter.range[0])} .. ${format(parameter.range[1])}) [${parameter.basis}]`;
  const times = (v: number): string => `x${v}`;
  row('home occupancy', `${range(p.homeOccupancy, String)} of each transfer's latency`);
  row(`fan-out read per ${topology.kind === 'mesh' ? 'core' : 'CCD'}`, `${range(p.fanOutRead, formatDurationNs)}, x${model.socketHopFactor.value} across sockets`);
  row('SMT slowdown', `${range(p.smtSlowdown, times)}; sibling spinning ${range(p.smtSpinSlowdown, times)}`);
  lines.push('  memory (per-CPU sums):');
  row('misses in flight', range(p.missesInFlight, String));
  row('DRAM, local node', range(p.dramLocal, formatDurationNs));
  row('DRAM, remote node', p.dramRemote && range(p.dramRemote, formatDurationNs));
  return lines.join('\n');
}
