/** Helpers for CLI tests: a CommandContext that records output, and the CLI as a child process. */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandContext } from '../../src/cli/context.js';

export const TINY_LAUNCH = 'test/cli/fixtures/tiny-launch.yaml';
export const TINY_PAUSE = 'test/cli/fixtures/tiny-pause.yaml';

export interface RecordingContext extends CommandContext {
  readonly stdout: string[];
  readonly stderr: string[];
  readonly codes: number[];
}

export function recordingContext(): RecordingContext {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const codes: number[] = [];
  return { stdout, stderr, codes, out: (t) => stdout.push(t), err: (t) => stderr.push(t), fail: (c) => codes.push(c), isTty: false };
}

/** Runs `locksim ARGS` through tsx from the repository root (async, so several can run at once). */
export function locksim(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Every file of a directory with its bytes, by name. */
export function directoryBytes(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name))]));
}
