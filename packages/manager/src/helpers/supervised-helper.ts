import { type ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import {
  Channel,
  type Envelope,
  encodeEnvelope,
  type HelperReadyMessage,
  IPC_PROTOCOL_VERSION,
  type IpcError,
  type MessageHandlers,
  ReplayPhase,
  type StateReplayMessage,
} from '@patchpanel/ipc';
import type { Logger } from 'pino';
import type { HelperIdentity, HelperSpec } from './helper-spec';
import { HelperState } from './helper-state';
import { channelFd, type Jail, seccompFd } from './jail/jail';
import { RestartBackoff, type RestartBackoffPolicy } from './restart-backoff';

export interface SupervisedHelperOptions {
  readonly spec: HelperSpec;
  readonly jail: Jail;
  readonly identity: HelperIdentity;
  readonly logger: Logger;
  readonly backoff: RestartBackoffPolicy;
  readonly readyTimeoutMs: number;
  /** Handlers for what the helper sends the manager (e.g. ND proxy feedback). */
  readonly handlers?: MessageHandlers;
  /** Passed to the helper as PP_LOG_LEVEL. */
  readonly helperLogLevel?: string;
  /** How long a helper may take to exit after its channel closed before it is killed. */
  readonly stopGraceMs?: number;
}

export interface HelperStatus {
  readonly name: string;
  /** Host pid of the launched process (the jailer's, when jailed). */
  readonly pid: number | undefined;
  readonly ready: boolean;
  /** The helper acknowledged the last state replay with the same message count. */
  readonly inSync: boolean;
  readonly restarts: number;
  readonly startedAt: number | undefined;
}

/** One helper process, kept alive: spawned jailed, restarted with backoff, resynchronised after each start. */
export class SupervisedHelper {
  private readonly state = new HelperState();
  private readonly backoff: RestartBackoff;
  private readonly log: Logger;
  private child: ChildProcess | undefined;
  private channel: Channel | undefined;
  private startedAt: number | undefined;
  private ready = false;
  private inSync = false;
  private restarts = 0;
  private replayCount = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private readyTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readyWaiters: Array<() => void> = [];

  constructor(private readonly options: SupervisedHelperOptions) {
    this.backoff = new RestartBackoff(options.backoff);
    this.log = options.logger.child({ component: 'supervisor', helper: options.spec.name });
  }

  get status(): HelperStatus {
    return {
      name: this.options.spec.name,
      pid: this.child?.pid,
      ready: this.ready,
      inSync: this.inSync,
      restarts: this.restarts,
      startedAt: this.startedAt,
    };
  }

  /** Resolves once the helper said it is ready (for this or a later process). */
  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  async start(): Promise<void> {
    const { spec, jail, identity } = this.options;
    const plan = await jail.plan(spec, identity);
    if (this.stopping) return;
    if (jail.kind === 'none')
      this.log.warn('helper runs WITHOUT a jail: as root, all capabilities, no seccomp');
    const stdio: Array<'ignore' | 'inherit' | 'pipe'> = ['ignore', 'inherit', 'inherit', 'pipe'];
    if (plan.seccompProgram) stdio[seccompFd] = 'pipe';
    const env = { ...process.env, ...spec.env, PP_LOG_LEVEL: this.options.helperLogLevel ?? 'info' };
    const child = spawn(plan.file, [...plan.args], { stdio, env });
    this.child = child;
    this.startedAt = Date.now();
    this.ready = false;
    this.inSync = false;
    child.once('error', (err) => this.log.error({ err, file: plan.file }, 'helper could not be started'));
    child.once('close', (code, signal) => this.onExit(child, code, signal));
    if (plan.seccompProgram) {
      const program = child.stdio[seccompFd] as Socket;
      // A jailer that dies before reading its program resets this socket; the exit handler restarts it.
      program.on('error', (err) => this.log.warn({ err, pid: child.pid }, 'seccomp program not delivered'));
      program.end(Buffer.from(plan.seccompProgram));
    }
    this.channel = this.openChannel(child.stdio[channelFd] as Socket, child);
    this.replayState();
    this.readyTimer = setTimeout(() => this.kill(child, 'not ready in time'), this.options.readyTimeoutMs);
  }

  /** Records `envelope` as state and sends it if the helper is up; a helper that is down gets it on replay. */
  send(envelope: Envelope): void {
    encodeEnvelope(envelope); // throws InvalidMessageError before an invalid message can enter the state
    this.state.record(envelope);
    if (this.channel && !this.channel.isClosed) this.channel.send(envelope);
  }

  /** Closes the channel (the helper exits on EOF) and kills it if it lingers. Never restarts afterwards. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    this.channel?.close();
    const grace = setTimeout(
      () => this.kill(child, 'did not exit after its channel closed'),
      this.options.stopGraceMs ?? 2000,
    );
    await exited;
    clearTimeout(grace);
  }

  private openChannel(socket: Socket, child: ChildProcess): Channel {
    return new Channel(socket, {
      peer: this.options.spec.name,
      logger: this.options.logger,
      handlers: {
        ...this.options.handlers,
        helperReadyMessage: (message) => this.onReady(message),
        stateReplayMessage: (message) => this.onReplayAck(child, message),
      },
      onClose: (error) => this.onChannelClosed(child, error),
    });
  }

  /** BEGIN, the current state as ordinary messages, END with the count; queued before the helper even reads. */
  private replayState(): void {
    const messages = this.state.snapshot();
    const channel = this.channel!;
    channel.send({ stateReplayMessage: { phase: ReplayPhase.BEGIN } });
    for (const message of messages) channel.send(message);
    channel.send({ stateReplayMessage: { phase: ReplayPhase.END, messageCount: messages.length } });
    this.replayCount = messages.length;
  }

  private onReady(message: HelperReadyMessage): void {
    if (message.protocolVersion !== IPC_PROTOCOL_VERSION) {
      this.kill(this.child, `speaks protocol ${message.protocolVersion}, expected ${IPC_PROTOCOL_VERSION}`);
      return;
    }
    clearTimeout(this.readyTimer);
    this.ready = true;
    const startMs = Date.now() - (this.startedAt ?? Date.now());
    this.log.info(
      { pid: this.child?.pid, helperPid: message.pid, restarts: this.restarts, startMs },
      'helper ready',
    );
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  private onReplayAck(child: ChildProcess, message: StateReplayMessage): void {
    if (message.phase !== ReplayPhase.END) return;
    if (message.messageCount !== this.replayCount) {
      this.kill(child, `applied ${message.messageCount} of ${this.replayCount} replayed messages`);
      return;
    }
    this.inSync = true;
    this.log.info({ pid: child.pid, replayed: this.replayCount }, 'helper in sync');
  }

  private onChannelClosed(child: ChildProcess, error: IpcError | undefined): void {
    if (this.stopping) return;
    // A helper never closes its end on purpose: either it is exiting, or its stream cannot be resynchronised.
    this.kill(child, error ? `channel failed: ${error.code}` : 'closed its channel');
  }

  private kill(child: ChildProcess | undefined, reason: string): void {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.log.warn({ pid: child.pid, reason }, 'killing helper');
    child.kill('SIGKILL');
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    clearTimeout(this.readyTimer);
    this.channel?.close();
    this.ready = false;
    this.inSync = false;
    const uptimeMs = Date.now() - (this.startedAt ?? Date.now());
    if (this.stopping) {
      this.log.info({ pid: child.pid, code, signal, uptimeMs }, 'helper stopped');
      return;
    }
    const delayMs = this.backoff.nextDelay(uptimeMs);
    this.log.error(
      { pid: child.pid, code, signal, uptimeMs, restarts: this.restarts, delayMs },
      'helper died',
    );
    this.restartTimer = setTimeout(() => {
      this.restarts += 1;
      this.start().catch((err: unknown) => {
        this.log.error({ err }, 'helper restart failed');
        this.onExit(child, null, null);
      });
    }, delayMs);
  }
}
