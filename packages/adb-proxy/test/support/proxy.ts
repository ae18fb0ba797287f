import { readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import type { Envelope } from '@patchpanel/ipc';
import { ADB_PORT, type SuiteContext, waitUntil } from '@patchpanel/testbed';
import { helperCatalog } from '../../../manager/src/helpers/helper-catalog';
import type { HelperSpec } from '../../../manager/src/helpers/helper-spec';
import { bwrapJail } from '../../../manager/src/helpers/jail/bwrap';
import type { Jail } from '../../../manager/src/helpers/jail/jail';
import { HelperSupervisor } from '../../../manager/src/helpers/supervisor';
import { inNetns } from '../../../manager/test/support/jail';
import { type LogLine, LogSink } from '../../../manager/test/support/log-sink';
import { nodeProcessRunning } from '../../../manager/test/support/proc';
import type { AdbProxyConfig } from '../../src/config';
import { ARCVM_CID, arcvm, GuestEvent, GuestType, guestEnvelope, policyEnvelope } from './messages';
import { type AdbTopology, adbTopology, echoes, GUEST_ADDRESS } from './topology';

/** A JSON line the helper logged. */
export interface HelperLogLine {
  readonly msg: string;
  readonly [key: string]: unknown;
}

/** Sends the jailed helper's stdout and stderr (its pino log, bwrap's complaints) to `file`. */
function withOutputTo(inner: Jail, file: string): Jail {
  return {
    kind: inner.kind,
    async plan(spec, identity) {
      const plan = await inner.plan(spec, identity);
      return {
        ...plan,
        file: 'sh',
        args: ['-c', `exec "$0" "$@" >>'${file}' 2>&1`, plan.file, ...plan.args],
      };
    },
  };
}

/** How a 'helper died' line says it died; bwrap exits with 128 + N when the helper died of signal N. */
function howItDied(line: LogLine): string {
  const signal = Object.entries(osConstants.signals).find(([, n]) => n === Number(line.code) - 128)?.[0];
  if (signal === 'SIGSYS') return 'SIGSYS, a syscall outside its seccomp policy (the audit log names it)';
  return signal ? `killed by ${signal}` : `exit code ${line.code}, signal ${line.signal}`;
}

let proxies = 0;
/** The adb-proxy under test: the manager's supervisor running its catalog spec, jailed in the host namespace. */
export class ProxyUnderTest {
  /** The supervisor's log. */
  readonly sink = new LogSink();
  readonly spec: HelperSpec;
  readonly supervisor: HelperSupervisor;
  private readonly logFile: string;

  private constructor(
    readonly topology: AdbTopology,
    config: Partial<AdbProxyConfig>,
  ) {
    const adbProxyConfig = { tcpTarget: { address: GUEST_ADDRESS, port: ADB_PORT }, ...config };
    this.spec = helperCatalog({ adbProxyConfig }).find((s) => s.name === 'adb-proxy')!;
    this.logFile = path.join(topology.scratchDir, `adb-proxy-${++proxies}.log`);
    this.supervisor = new HelperSupervisor({
      specs: [this.spec],
      jail: withOutputTo(inNetns(bwrapJail(), topology.host.path), this.logFile),
      identity: { uid: 65534, gid: 65534 },
      logger: this.sink.logger,
      backoff: { initialMs: 100, maxMs: 1_000, healthyAfterMs: 60_000 },
      readyTimeoutMs: 20_000,
    });
  }

  /** Starts the helper with the fake guest's address as its TCP target and `config` over it. */
  static async start(topology: AdbTopology, config: Partial<AdbProxyConfig>): Promise<ProxyUnderTest> {
    const proxy = new ProxyUnderTest(topology, config);
    // Whatever happens to the test, no supervisor outlives the bed (it would restart its helper forever).
    topology.bed.onTeardown(() => proxy.stop());
    try {
      await proxy.whenStarted();
    } catch (error) {
      await proxy.stop();
      throw new Error(`the adb-proxy did not start: ${(error as Error).message}; ${proxy.diagnosis()}`);
    }
    return proxy;
  }

  /**
   * The supervisor's start() waits for a ready helper however many restarts that takes; here a helper that
   * dies twice, or is not ready within 30 s, fails the test at once, saying how it died.
   */
  private async whenStarted(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const failure = new Promise<never>((_, reject) => {
      const deadline = Date.now() + 30_000;
      const check = () => {
        const deaths = this.deaths();
        if (deaths.length >= 2) reject(new Error(`it died ${deaths.length} times`));
        else if (Date.now() > deadline) reject(new Error('not ready within 30 s'));
        else timer = setTimeout(check, 50);
      };
      check();
    });
    try {
      await Promise.race([this.supervisor.start(), failure]);
    } finally {
      clearTimeout(timer);
    }
  }

  send(envelope: Envelope): void {
    this.supervisor.send('adb-proxy', envelope);
  }

  /** ADB allowed, then the ARCVM with `cid` started: the gate opens. */
  openForArcvm(cid = ARCVM_CID): void {
    this.send(policyEnvelope(true));
    this.send(guestEnvelope(arcvm(GuestEvent.START, cid)));
  }

  /** Resolves once the helper has handled everything sent so far: it logs why it ignores a message sent last. */
  async barrier(): Promise<void> {
    const marker = `guest message ignored: guest type ${GuestType.TERMINA_VM} has no adbd`;
    const count = () => this.helperLog().filter((l) => l.msg === marker).length;
    const before = count();
    this.send(guestEnvelope({ type: GuestType.TERMINA_VM, event: GuestEvent.START }));
    await this.poll(() => count() > before, 20_000, 'the helper to handle its messages');
  }

  /** The host pid of the helper's node process (below bwrap and setpriv). */
  helperPid(): number | undefined {
    const launcher = this.supervisor.status()[0]?.pid;
    return launcher === undefined ? undefined : nodeProcessRunning(launcher, this.spec.entry);
  }

  helperLog(): HelperLogLine[] {
    let text = '';
    try {
      text = readFileSync(this.logFile, 'utf8');
    } catch {
      return [];
    }
    return text.split('\n').flatMap((line) => {
      try {
        return [JSON.parse(line) as HelperLogLine];
      } catch {
        return line.trim() === '' ? [] : [{ msg: line }];
      }
    });
  }

  async waitForHelperLog(msg: string | RegExp, timeoutMs = 20_000): Promise<HelperLogLine> {
    const find = () =>
      this.helperLog().find((l) => (typeof msg === 'string' ? l.msg === msg : msg.test(l.msg)));
    await this.poll(() => find() !== undefined, timeoutMs, `helper log ${msg}`);
    return find()!;
  }

  /** Each time the helper died, as the supervisor saw it. */
  deaths(): string[] {
    return this.sink.matching((l) => l.msg === 'helper died').map(howItDied);
  }

  /** What went wrong, for a failure message: how the helper died, and the end of its log. */
  diagnosis(lines = 30): string {
    const log = this.helperLog()
      .slice(-lines)
      .map((l) => JSON.stringify(l))
      .join('\n');
    return `deaths: [${this.deaths().join('; ')}]; the helper logged:\n${log}`;
  }

  /** Polls until the relay echoes (generous: a jailed start, or a restart and its replay, may be on the way). */
  async waitUntilRelaying(timeoutMs = 30_000): Promise<void> {
    await this.poll(() => echoes(this.topology), timeoutMs, 'the relay to echo', 250);
  }

  /** waitUntil, failing with the diagnosis. */
  private async poll(
    condition: () => boolean | Promise<boolean>,
    timeoutMs: number,
    what: string,
    pollMs = 50,
  ): Promise<void> {
    await waitUntil(condition, timeoutMs, what, pollMs).catch((error: Error) => {
      throw new Error(`${error.message}; ${this.diagnosis()}`);
    });
  }

  stop(): Promise<void> {
    return this.supervisor.stop();
  }
}

/** What a test file needs: the topology, built once, and helpers to start, each stopped after its test. */
export interface AdbProxyFixture {
  readonly topology: AdbTopology;
  start(config: Partial<AdbProxyConfig>): Promise<ProxyUnderTest>;
}

/** Registers the hooks of the enclosing describe block (an integrationSuite) for an AdbProxyFixture. */
export function useAdbProxy(ctx: SuiteContext): AdbProxyFixture {
  let topology: AdbTopology | undefined;
  const running: ProxyUnderTest[] = [];
  beforeAll(async () => {
    topology = await adbTopology(ctx.bed);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((proxy) => proxy.stop()));
  });
  return {
    get topology() {
      if (topology === undefined) throw new Error('the topology exists only inside tests');
      return topology;
    },
    async start(config) {
      const proxy = await ProxyUnderTest.start(this.topology, config);
      running.push(proxy);
      return proxy;
    },
  };
}
