/**
 * What one launch storm is: how many containers, their layers, how they
 * arrive and where they are placed, the deadlines that decide failure, and
 * which mechanisms are on. Resolved from a scenario point; times in ns.
 */
import type { MechanismSwitches } from './mechanisms.js';

export type LayerSpec =
  | { readonly kind: 'fixed'; readonly value: number }
  | { readonly kind: 'normal'; readonly mean: number; readonly sd: number; readonly min: number; readonly max: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number };

export type ArrivalSpec =
  | { readonly kind: 'burst' }
  | { readonly kind: 'ramp'; readonly overNs: number }
  | { readonly kind: 'poisson'; readonly perSecond: number }
  | { readonly kind: 'staggered'; readonly overNs: number };

export type PlacementPolicy = 'spread' | 'random' | 'compact';

export interface Deadlines {
  /** The container's health check must pass within this time of its launch starting. */
  readonly launchNs: number;
  /** kubelet's runtime request timeout for each CRI request (one runtime pass). */
  readonly runtimeRequestNs: number;
  /** A node health check (a D-Bus call to systemd) slower than this fails the launches in progress. */
  readonly nodeHealthCheckNs: number;
}

export interface LaunchSpec {
  readonly containers: number;
  readonly layers: LayerSpec;
  readonly arrival: ArrivalSpec;
  readonly placement: PlacementPolicy;
  readonly deadlines: Deadlines;
  /** Simulated time after which unfinished launches count as failed. */
  readonly horizonNs: number;
  readonly mechanisms: MechanismSwitches;
  /** Interval of the mount-table samples, ns. */
  readonly sampleEveryNs: number;
}
