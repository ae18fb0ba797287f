import { execFile } from 'node:child_process';
import path from 'node:path';

/** The built CLI, as `npm run build` leaves it (the bin entry `patchpanel`). */
export const CLI_MAIN = path.resolve(__dirname, '../../../dist/cli/main.js');

export interface CliResult {
  /** The exit status; null if it was killed (e.g. by the timeout). */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `patchpanel <args>` to its end, without a shell. */
export function runCli(args: readonly string[], timeoutMs = 15_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI_MAIN, ...args], { timeout: timeoutMs }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ status, stdout, stderr });
    });
  });
}

/** Resolves once `condition` holds, polling; rejects after `timeoutMs`. */
export async function eventually(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
