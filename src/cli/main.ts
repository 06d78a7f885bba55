import { hideBin } from 'yargs/helpers';
import type { CommandContext } from './context.js';
import { runCli } from './cli.js';

export { buildCli } from './cli.js';

const context: CommandContext = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  fail: (code) => {
    if (process.exitCode === undefined || process.exitCode === 0) process.exitCode = code;
  },
  isTty: process.stderr.isTTY === true,
};

export async function main(argv: string[]): Promise<void> {
  const code = await runCli(argv, context);
  if (process.exitCode === undefined || process.exitCode === 0) process.exitCode = code;
}

await main(hideBin(process.argv));
