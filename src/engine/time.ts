/**
 * Simulated time. One unit is one nanosecond; values are integers held in a
 * float64, exact up to 2^53 ns (about 104 days), far beyond any run's horizon.
 */
export type SimTime = number;

export const NS_PER_US = 1_000;
export const NS_PER_MS = 1_000_000;
export const NS_PER_S = 1_000_000_000;

export const ns = (value: number): SimTime => value;
export const us = (value: number): SimTime => value * NS_PER_US;
export const ms = (value: number): SimTime => value * NS_PER_MS;
export const seconds = (value: number): SimTime => value * NS_PER_S;

/** Human-readable duration with the largest unit that keeps the number >= 1. */
export function formatTime(timeNs: SimTime): string {
  const abs = Math.abs(timeNs);
  if (abs >= NS_PER_S) return `${trim(timeNs / NS_PER_S)} s`;
  if (abs >= NS_PER_MS) return `${trim(timeNs / NS_PER_MS)} ms`;
  if (abs >= NS_PER_US) return `${trim(timeNs / NS_PER_US)} us`;
  return `${trim(timeNs)} ns`;
}

function trim(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
