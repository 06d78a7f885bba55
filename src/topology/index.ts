/**
 * The topology layer: machine model files in, frozen Topology objects out.
 * Import from here rather than from the individual modules.
 */
export * from './topology.js';
export { buildTopology, variantSuffix } from './build.js';
export { importC2cMatrix, parseC2cCsv } from './c2c.js';
export {
  findMachineModel,
  listMachineModels,
  loadMachineModel,
  machineRangePoint,
  parseMachineSpec,
  resolveMachine,
  withMachineParameters,
  type MachineParameterValue,
  type MachineSpec,
} from './load.js';
export {
  MachineFamilySchema,
  MachineFileSchema,
  MachineVariantFileSchema,
  VariantSpecSchema,
  type Basis,
  type C2cMatrix,
  MACHINE_PARAMETERS,
  MACHINE_PARAMETER_NAMES,
  type MachineModel,
  type MachineParameter,
  type MachineParameterName,
  type MachineParameters,
  type Sourced,
  type VariantSpec,
} from './schema.js';
export { DEFAULT_SYSFS_ROOT, MEASUREMENT_LIMITS, hostTopology, importHostMachine, measurePair, pairClass, readCpuModel, readSysfsLayout, type HostTopology, type ImportHostOptions, type ImportedHost, type SysfsLayout } from './import/index.js';
