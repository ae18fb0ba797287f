import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { Socket } from 'node:net';
import { createPipe } from '@patchpanel/netio';
import type { Logger } from 'pino';
import { FirewallCommitError } from '../errors';
import { type BatchResult, sentinelCommand, takeBatch } from './session-protocol';

export interface NftSessionOptions {
  readonly log: Logger;
  /** Run nft inside this network namespace (through nsenter), else in the daemon's. */
  readonly netnsPath?: string;
  /** Per batch; default 10 s. A batch without an answer kills the process. */
  readonly timeoutMs?: number;
  /**
   * Called when a replacement process started (not for the first one): the batch it runs before anything else,
   * and what to do once it is in.
   */
  readonly onRestart?: () => RestartReplay;
}

export interface RestartReplay {
  readonly commands: readonly string[];
  /** `run` runs further batches on the new process before anything queued. */
  applied(run: (commands: readonly string[]) => Promise<string>): Promise<void>;
}

interface Pending {
  readonly seq: number;
  readonly resolve: (result: BatchResult) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * One long-lived `nft -i -a` instead of a process per change: nft reads nothing back for a batch that only adds
 * to and deletes from named objects, so a change costs the same at any table size (without `-e`: with echo,
 * nft reads the whole ruleset before every batch). Each batch is one line (one kernel transaction:
 * all of it or nothing) followed by a sentinel; stdout and stderr share one pipe, so errors and echoes keep
 * their order. Batches run one at a time. A process that dies or hangs is replaced on the next batch.
 */
export class NftSession {
  private child: ChildProcess | undefined;
  private output: Socket | undefined;
  private buffer = '';
  private seq = 0;
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private started = 0;

  constructor(private readonly options: NftSessionOptions) {}

  /** Runs `commands` as one transaction; resolves with what nft printed (listings), rejects with its errors. */
  run(commands: readonly string[]): Promise<string> {
    const run = this.queue.then(() => this.runNow(commands));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Resolves once a process runs, after the replacement of one that died and its replay: for changes made
   * past nft (netlink), which must also find the table rebuilt.
   */
  ready(): Promise<void> {
    const run = this.queue.then(() => this.ensureProcess());
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.stopProcess();
  }

  private async runNow(commands: readonly string[]): Promise<string> {
    if (commands.some((command) => command.includes('\n'))) {
      throw new FirewallCommitError('inet', 'an nft command may not contain a newline');
    }
    await this.ensureProcess();
    return this.exchange(commands);
  }

  private async ensureProcess(): Promise<void> {
    if (this.child !== undefined) return;
    this.startProcess();
    const replay = this.started > 1 ? this.options.onRestart?.() : undefined;
    if (replay !== undefined && replay.commands.length > 0) {
      await this.exchange(replay.commands);
      await replay.applied((more) => this.exchange(more));
    }
  }

  private async exchange(commands: readonly string[]): Promise<string> {
    const result = await new Promise<BatchResult>((resolve) => {
      const seq = ++this.seq;
      const timeoutMs = this.options.timeoutMs ?? 10_000;
      const timer = setTimeout(() => {
        this.options.log.error({ seq, timeoutMs }, 'nft did not answer; replacing it');
        this.stopProcess();
      }, timeoutMs);
      this.pending = { seq, resolve, timer };
      this.child?.stdin?.write(`${commands.join('; ')}\n${sentinelCommand(seq)}\n`);
    });
    if (!result.ok) throw new FirewallCommitError('inet', result.errors.join('; '));
    return result.output;
  }

  private startProcess(): void {
    const { readFd, writeFd } = createPipe();
    const prefix =
      this.options.netnsPath === undefined ? [] : ['nsenter', `--net=${this.options.netnsPath}`, '--'];
    const argv = [...prefix, 'nft', '-i', '-a'];
    const child = spawn(argv[0] ?? 'nft', argv.slice(1), { stdio: ['pipe', writeFd, writeFd] });
    closeSync(writeFd);
    const output = new Socket({ fd: readFd, readable: true, writable: false });
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => this.receive(chunk));
    output.on('error', (err) => this.options.log.warn({ err }, 'nft output error'));
    child.stdin?.on('error', (err) => this.options.log.warn({ err }, 'nft input error'));
    child.once('exit', (code, signal) => {
      if (this.child !== child) return;
      this.options.log.warn({ code, signal }, 'nft session ended');
      this.stopProcess();
    });
    this.child = child;
    this.output = output;
    this.buffer = '';
    this.started += 1;
    this.options.log.info({ pid: child.pid, restarts: this.started - 1 }, 'nft session started');
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    const pending = this.pending;
    if (pending === undefined) return;
    const taken = takeBatch(this.buffer, pending.seq);
    if (taken === undefined) return;
    this.buffer = taken.rest;
    this.settle(taken.result);
  }

  private settle(result: BatchResult): void {
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.resolve(result);
  }

  private stopProcess(): void {
    const child = this.child;
    this.child = undefined;
    this.output?.destroy();
    this.output = undefined;
    if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
    this.settle({ ok: false, errors: ['the nft process ended before answering'] });
  }
}
