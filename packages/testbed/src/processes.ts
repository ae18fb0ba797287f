import type { Readable } from 'node:stream';
import execa from 'execa';
import { CommandError, ProcessExitedError, TimeoutError } from './errors';
import { DEFAULT_GRACE_MS, signalProcess } from './kill';
import { lineSplitter } from './lines';
import { OutputTail } from './output-tail';
import { type ProcessIdentity, readIdentity } from './proc';

/** When a long-lived process counts as started. With none given, it is ready once spawned. */
export interface ReadyCondition {
  /** Ready once its stdout matches. */
  readonly stdout?: RegExp;
  /** Ready once its stderr matches. */
  readonly stderr?: RegExp;
  /** Ready once this returns true (polled); gets the pid of the process. */
  readonly check?: (pid: number) => boolean | Promise<boolean>;
  /** Default 15 s. */
  readonly timeoutMs?: number;
}

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A long-lived process the bed started; it is stopped by pid at teardown if not before. */
export interface TrackedProcess extends ProcessIdentity {
  readonly argv: readonly string[];
  /** Resolves when the process has exited (and was reaped). */
  readonly exited: Promise<ProcessExit>;
  readonly running: boolean;
  /** The last lines it wrote to stdout and stderr. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; idempotent. */
  stop(options?: { graceMs?: number }): Promise<ProcessExit>;
}

export interface StartOptions {
  readonly ready?: ReadyCondition;
  /** Called right after the spawn, before readiness, so a crash in between still leaves a record. */
  readonly onSpawn?: (identity: ProcessIdentity) => void;
  readonly onExit?: (identity: ProcessIdentity) => void;
  /** Every complete line the process writes to stdout, in order, from the spawn on (none is dropped). */
  readonly onStdoutLine?: (line: string) => void;
}

const DEFAULT_READY_TIMEOUT_MS = 15_000;
const READY_POLL_MS = 50;

class ChildHandle implements TrackedProcess {
  readonly exited: Promise<ProcessExit>;
  readonly tail = new OutputTail();
  private exit: ProcessExit | undefined;

  constructor(
    readonly pid: number,
    readonly startTime: string,
    readonly argv: readonly string[],
    child: execa.ExecaChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  output(): string {
    return this.tail.text();
  }

  async stop(options: { graceMs?: number } = {}): Promise<ProcessExit> {
    if (this.exit !== undefined) return this.exit;
    signalProcess(this, 'SIGTERM');
    const timer = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), options.graceMs ?? DEFAULT_GRACE_MS).unref(),
    );
    if ((await Promise.race([this.exited, timer])) === 'timeout') signalProcess(this, 'SIGKILL');
    return this.exited;
  }
}

function watchStream(stream: Readable | null, handle: ChildHandle, onText: (text: string) => void): void {
  if (stream === null) return;
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    handle.tail.append(chunk);
    onText(chunk);
  });
}

/** Spawns argv (no shell), tracks it by pid + start time and resolves once it is ready. */
export async function startProcess(
  argv: readonly string[],
  options: StartOptions = {},
): Promise<TrackedProcess> {
  const [file, ...args] = argv;
  if (file === undefined) throw new CommandError(argv, undefined, 'empty argv');
  const child = execa(file, args, { buffer: false, reject: false, stdin: 'ignore', env: { LC_ALL: 'C' } });
  child.catch(() => {}); // outcome is observed through 'exit' and 'error'
  const identity = child.pid === undefined ? undefined : readIdentity(child.pid);
  if (identity === undefined) {
    const err = await new Promise<unknown>((resolve) => {
      child.once('error', resolve);
      child.once('exit', () => resolve(undefined));
    });
    throw new CommandError(argv, undefined, err === undefined ? 'exited at once' : String(err), {
      cause: err,
    });
  }
  const handle = new ChildHandle(identity.pid, identity.startTime, argv, child);
  if (options.onStdoutLine !== undefined) child.stdout?.on('data', lineSplitter(options.onStdoutLine));
  options.onSpawn?.(identity);
  void handle.exited.then(() => options.onExit?.(identity));
  try {
    await waitReady(handle, child, options.ready);
  } catch (err) {
    await handle.stop({ graceMs: 500 });
    throw err;
  }
  return handle;
}

function waitReady(
  handle: ChildHandle,
  child: execa.ExecaChildProcess,
  ready?: ReadyCondition,
): Promise<void> {
  const stdoutSeen = { text: '' };
  const stderrSeen = { text: '' };
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(poll);
      if (err) reject(err);
      else resolve();
    };
    const matches = (): boolean =>
      (ready?.stdout === undefined || ready.stdout.test(stdoutSeen.text)) &&
      (ready?.stderr === undefined || ready.stderr.test(stderrSeen.text));
    let checking = false;
    const evaluate = async (): Promise<void> => {
      if (settled || checking || !matches()) return;
      checking = true;
      try {
        if (ready?.check === undefined || (await ready.check(handle.pid))) finish();
      } catch (err) {
        finish(err instanceof Error ? err : new Error(String(err)));
      } finally {
        checking = false;
      }
    };
    const onText = (seen: { text: string }) => (text: string) => {
      seen.text = (seen.text + text).slice(-65_536);
      void evaluate();
    };
    watchStream(child.stdout, handle, onText(stdoutSeen));
    watchStream(child.stderr, handle, onText(stderrSeen));
    const timeoutMs = ready?.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    const timer = setTimeout(() => {
      finish(
        new TimeoutError(`not ready after ${timeoutMs} ms: ${handle.argv.join(' ')}\n${handle.output()}`),
      );
    }, timeoutMs);
    const poll = setInterval(() => void evaluate(), READY_POLL_MS);
    void handle.exited.then((exit) => {
      const how = exit.signal ?? `code ${exit.code}`;
      finish(new ProcessExitedError(handle.argv, handle.output(), `exited (${how}) before it was ready`));
    });
    void evaluate();
  });
}
