/**
 * What every kernel lock model is built from: the simulation (time, random
 * streams, probes), the machine it runs on, and what each CPU is doing.
 */
import type { LineSwitches } from '../coherence/cache-line.js';
import type { CpuState } from '../coherence/cpu-state.js';
import type { Simulation } from '../engine/index.js';
import type { Topology } from '../topology/index.js';

export interface KernelContext {
  readonly sim: Simulation;
  readonly topology: Topology;
  readonly cpuState: CpuState;
  /** Which line mechanisms run (both unless an ablation switches one off). */
  readonly lineSwitches?: LineSwitches;
  /**
   * Called when a waiter on `cpu` goes to sleep (its CPU is free for other
   * threads until it is woken): the launch model's scheduler listens here.
   */
  readonly onSleep?: (cpu: number) => void;
}
