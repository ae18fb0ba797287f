import execa from 'execa';
import { CommandError, TimeoutError } from './errors';

export interface RunOptions {
  /** Written to the command's stdin. */
  readonly input?: string;
  /** Kills the command after this long (default 30 s). */
  readonly timeoutMs?: number;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
// Stable, untranslated messages from iproute2 and friends.
const ENV = { LC_ALL: 'C' };

function isExecaError(err: unknown): err is execa.ExecaError {
  return err instanceof Error && 'exitCode' in err && 'stderr' in err;
}

/** Runs argv (never through a shell) and resolves with its output; rejects with its stderr on failure. */
export async function run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new CommandError(argv, undefined, 'empty argv');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    const result = await execa(file, args, {
      input: options.input,
      stdin: options.input === undefined ? 'ignore' : 'pipe',
      timeout: timeoutMs,
      env: ENV,
    });
    return { stdout: result.stdout, stderr: result.stderr };
  } catch (err) {
    if (isExecaError(err) && err.timedOut) {
      throw new TimeoutError(`${argv.join(' ')} did not finish in ${timeoutMs} ms`, { cause: err });
    }
    const stderr = isExecaError(err) ? err.stderr || err.shortMessage : String(err);
    throw new CommandError(argv, isExecaError(err) ? err.exitCode : undefined, stderr, { cause: err });
  }
}

/** The blocking variant, for exit handlers only; never throws, reports failure in the result. */
export function runSync(argv: readonly string[]): RunResult & { readonly ok: boolean } {
  const [file, ...args] = argv;
  if (file === undefined) return { ok: false, stdout: '', stderr: 'empty argv' };
  const result = execa.sync(file, args, { reject: false, timeout: 10_000, env: ENV, stdin: 'ignore' });
  return { ok: result.exitCode === 0, stdout: result.stdout, stderr: result.stderr };
}
