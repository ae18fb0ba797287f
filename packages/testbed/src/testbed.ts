import { type PrivateBus, type PrivateBusOptions, startPrivateBus } from './dbus';
import { ClosedError, describeError, InvalidArgumentError, PrivilegeError, TeardownError } from './errors';
import { killAllSync } from './kill';
import { addBridge, addVeth, type VethOptions } from './links';
import { type Logger, silentLogger } from './logger';
import { netnsName, pickPrefix, prefixOfNetns } from './names';
import { createNetns, deleteNetns, deleteNetnsSync, inNetns, listNetns, type Netns } from './netns';
import { missingPrivileges } from './privileges';
import { namespaceInode, readIdentity } from './proc';
import { type ReadyCondition, startProcess, type TrackedProcess } from './processes';
import { registerLiveBed, unregisterLiveBed } from './registry';
import { RunStateStore, readStoredRuns } from './state-store';
import { sweepLeftovers } from './sweep';

export interface TestbedOptions {
  /** Free text recorded in the state file (e.g. the test file), to tell runs apart. */
  readonly label?: string;
  readonly logger?: Logger;
  /** Sweep leftovers of dead runs first (default true). */
  readonly sweep?: boolean;
  /** Tear down on SIGINT/SIGTERM/SIGHUP, then die of the signal (default true; the CLI handles signals itself). */
  readonly handleSignals?: boolean;
  /** How long a process gets between SIGTERM and SIGKILL at teardown (default 2 s). */
  readonly graceMs?: number;
}

export interface SpawnOptions {
  readonly ready?: ReadyCondition;
  /** Gets every whole stdout line (output() keeps only the last ones), e.g. a peer's JSON events. */
  readonly onStdoutLine?: (line: string) => void;
}

/** A guest "container": its own netns plus a long-lived process in it whose pid can be handed to a daemon. */
export interface Container {
  readonly name: string;
  readonly netns: Netns;
  readonly pid: number;
  readonly process: TrackedProcess;
}

export interface ContainerOptions {
  /** The long-lived process (default `sleep infinity`). */
  readonly argv?: readonly string[];
}

/** Namespaces, links and processes of one run, all removed by `teardown()`. */
export interface Testbed {
  /** 'ppt' + 5 hex chars, unique per run. */
  readonly prefix: string;
  /** Per-run directory for config files, sockets and pid files. */
  readonly runDir: string;
  readonly logger: Logger;
  readonly closed: boolean;
  netns(label: string): Promise<Netns>;
  veth(a: Netns, aName: string, b: Netns, bName: string, options?: VethOptions): Promise<void>;
  bridge(ns: Netns, name: string, ports: readonly string[]): Promise<void>;
  spawn(ns: Netns, argv: readonly string[], options?: SpawnOptions): Promise<TrackedProcess>;
  container(label: string, options?: ContainerOptions): Promise<Container>;
  dbus(options?: PrivateBusOptions): Promise<PrivateBus>;
  namespaces(): readonly Netns[];
  processes(): readonly TrackedProcess[];
  /** Runs `step` at teardown, before processes are stopped (last registered runs first). */
  onTeardown(step: () => void | Promise<void>): void;
  /** Idempotent; runs every step and rejects with TeardownError listing the ones that failed. */
  teardown(): Promise<void>;
}

class RunningTestbed implements Testbed {
  private readonly nsByLabel = new Map<string, Netns>();
  private readonly tracked: TrackedProcess[] = [];
  private readonly teardownSteps: (() => void | Promise<void>)[] = [];
  private busCount = 0;
  private teardownPromise: Promise<void> | undefined;

  constructor(
    private readonly store: RunStateStore,
    readonly logger: Logger,
    readonly handleSignals: boolean,
    private readonly graceMs: number | undefined,
  ) {}

  get prefix(): string {
    return this.store.current.prefix;
  }

  get runDir(): string {
    return this.store.runDir;
  }

  get closed(): boolean {
    return this.teardownPromise !== undefined;
  }

  async netns(label: string): Promise<Netns> {
    this.assertOpen();
    const name = netnsName(this.prefix, label);
    if (this.nsByLabel.has(label)) throw new InvalidArgumentError(`netns ${name} exists already`);
    this.store.addNetns(name); // recorded first: a crash during `ip netns add` still leaves a trace
    try {
      const ns = await createNetns(name);
      this.nsByLabel.set(label, ns);
      this.logger.debug({ netns: name }, 'netns created');
      return ns;
    } catch (err) {
      await deleteNetns(name).catch(() => {});
      this.store.removeNetns(name);
      throw err;
    }
  }

  async veth(a: Netns, aName: string, b: Netns, bName: string, options?: VethOptions): Promise<void> {
    this.assertOpen();
    await addVeth(a, aName, b, bName, options);
    this.logger.debug({ a: `${a.name}/${aName}`, b: `${b.name}/${bName}` }, 'veth created');
  }

  async bridge(ns: Netns, name: string, ports: readonly string[]): Promise<void> {
    this.assertOpen();
    await addBridge(ns, name, ports);
    this.logger.debug({ netns: ns.name, bridge: name, ports }, 'bridge created');
  }

  /**
   * Ready no earlier than the moment the process is inside `ns`: `ip netns exec` joins the namespace after
   * the fork, and a pid handed on before that would point at the namespace it came from.
   */
  spawn(ns: Netns, argv: readonly string[], options: SpawnOptions = {}): Promise<TrackedProcess> {
    const inside = (pid: number) => namespaceInode(`/proc/${pid}/ns/net`) === namespaceInode(ns.path);
    const check = options.ready?.check;
    const ready = {
      ...options.ready,
      check: async (pid: number) => inside(pid) && (check === undefined || (await check(pid))),
    };
    return this.track(inNetns(ns.name, argv), ready, options.onStdoutLine);
  }

  async container(label: string, options: ContainerOptions = {}): Promise<Container> {
    const netns = await this.netns(label);
    const child = await this.spawn(netns, options.argv ?? ['sleep', 'infinity']);
    return { name: netns.name, netns, pid: child.pid, process: child };
  }

  dbus(options: PrivateBusOptions = {}): Promise<PrivateBus> {
    this.assertOpen();
    // A unix-socket listener only: it runs in the root namespaces, touches no network, and is tracked by pid.
    return startPrivateBus(
      (argv, ready) => this.track(argv, ready),
      `${this.runDir}/bus-${++this.busCount}`,
      options,
    );
  }

  namespaces(): readonly Netns[] {
    return [...this.nsByLabel.values()];
  }

  processes(): readonly TrackedProcess[] {
    return [...this.tracked];
  }

  onTeardown(step: () => void | Promise<void>): void {
    this.assertOpen();
    this.teardownSteps.push(step);
  }

  teardown(): Promise<void> {
    this.teardownPromise ??= this.runTeardown();
    return this.teardownPromise;
  }

  /** For exit and signal hooks: no awaiting, SIGKILL instead of a grace period. */
  teardownSync(): void {
    this.teardownPromise ??= Promise.resolve();
    killAllSync(this.tracked.filter((p) => p.running));
    let complete = true;
    for (const name of this.store.current.netns) {
      try {
        deleteNetnsSync(name);
      } catch {
        complete = false; // the state file stays for the next sweep
      }
    }
    if (complete) this.store.remove();
  }

  private async track(
    argv: readonly string[],
    ready?: ReadyCondition,
    onStdoutLine?: (line: string) => void,
  ): Promise<TrackedProcess> {
    this.assertOpen();
    const child = await startProcess(argv, {
      ready,
      onStdoutLine,
      onSpawn: (identity) => this.store.addProcess({ ...identity, argv }),
      onExit: (identity) => this.store.removeProcess(identity.pid),
    });
    this.tracked.push(child);
    this.logger.debug({ pid: child.pid, argv }, 'process started');
    return child;
  }

  private async runTeardown(): Promise<void> {
    const errors: unknown[] = [];
    const collect = (results: PromiseSettledResult<unknown>[]): void => {
      for (const r of results) if (r.status === 'rejected') errors.push(r.reason);
    };
    for (const step of [...this.teardownSteps].reverse()) {
      collect(await Promise.allSettled([Promise.resolve().then(step)]));
    }
    collect(await Promise.allSettled(this.tracked.map((p) => p.stop({ graceMs: this.graceMs }))));
    collect(await Promise.allSettled(this.store.current.netns.map((name) => this.removeNetns(name))));
    unregisterLiveBed(this);
    if (errors.length > 0) {
      this.logger.error({ prefix: this.prefix, errors: errors.map(describeError) }, 'teardown incomplete');
      throw new TeardownError(errors); // the state file stays, so a later sweep retries
    }
    this.store.remove();
    this.logger.debug({ prefix: this.prefix }, 'torn down');
  }

  private async removeNetns(name: string): Promise<void> {
    await deleteNetns(name, this.graceMs);
    this.store.removeNetns(name);
  }

  private assertOpen(): void {
    if (this.closed) throw new ClosedError(`test bed ${this.prefix} is torn down`);
  }
}

/** Builds an empty bed: sweeps dead runs, picks a unique prefix, records its state, hooks exit cleanup. */
export async function createTestbed(options: TestbedOptions = {}): Promise<Testbed> {
  const problem = missingPrivileges();
  if (problem !== undefined) throw new PrivilegeError(`the test bed needs root: this process ${problem}`);
  const logger = (options.logger ?? silentLogger).child({ component: 'testbed' });
  if (options.sweep !== false) await sweepLeftovers({ logger });
  const taken = new Set([
    ...readStoredRuns().map((run) => run.prefix),
    ...listNetns().flatMap((name) => prefixOfNetns(name) ?? []),
  ]);
  const owner = readIdentity(process.pid);
  if (owner === undefined) throw new PrivilegeError('cannot read /proc/self/stat');
  const store = RunStateStore.create({
    version: 1,
    prefix: pickPrefix(taken),
    label: options.label ?? '',
    createdAt: new Date().toISOString(),
    owner,
    netns: [],
    processes: [],
  });
  const bed = new RunningTestbed(store, logger, options.handleSignals ?? true, options.graceMs);
  registerLiveBed(bed);
  logger.debug({ prefix: bed.prefix, runDir: bed.runDir }, 'test bed created');
  return bed;
}
