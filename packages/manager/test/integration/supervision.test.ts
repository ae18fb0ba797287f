import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { chmod, copyFile, readFile, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deviceEnvelope, GuestEvent, GuestType } from '@patchpanel/ipc';
import { integrationSuite, waitUntil } from '@patchpanel/testbed';
import { helperCatalog } from '../../src/helpers/helper-catalog';
import type { HelperSpec } from '../../src/helpers/helper-spec';
import { bwrapJail } from '../../src/helpers/jail/bwrap';
import type { Jail } from '../../src/helpers/jail/jail';
import { defaultRestartBackoff } from '../../src/helpers/restart-backoff';
import { HelperSupervisor } from '../../src/helpers/supervisor';
import { inNetns } from '../support/jail';
import { LogSink } from '../support/log-sink';
import { isAlive, nodeProcessRunning, processStatus } from '../support/proc';

const nobody = { uid: 65534, gid: 65534 };
const fixtures = path.join(__dirname, '..', 'fixtures');

integrationSuite('helper supervision', (ctx) => {
  let netnsPath: string;
  let sink: LogSink;
  let supervisor: HelperSupervisor | undefined;

  beforeAll(async () => {
    netnsPath = (await ctx.bed.netns('host')).path;
  });

  beforeEach(() => {
    sink = new LogSink();
  });

  afterEach(async () => {
    await supervisor?.stop();
    supervisor = undefined;
  });

  function supervise(specs: readonly HelperSpec[], backoff = defaultRestartBackoff): HelperSupervisor {
    supervisor = new HelperSupervisor({
      specs,
      jail: inNetns(bwrapJail(), netnsPath),
      identity: nobody,
      logger: sink.logger,
      backoff,
      readyTimeoutMs: 10_000,
      helperLogLevel: 'warn',
    });
    return supervisor;
  }

  const helperPid = (spec: HelperSpec, s: HelperSupervisor): number | undefined => {
    const launcher = s.status().find((h) => h.name === spec.name)?.pid;
    return launcher === undefined ? undefined : nodeProcessRunning(launcher, spec.entry);
  };

  test('each helper runs unprivileged, with only its capabilities, no_new_privs and a seccomp filter', async () => {
    // CAP_NET_RAW (bit 13) for the raw and packet sockets of the two proxies; the adb-proxy needs none.
    const capabilities: Record<string, string> = {
      'ndproxy-helper': '0000000000002000',
      'mcast-helper': '0000000000002000',
      'adb-proxy': '0000000000000000',
    };
    const specs = helperCatalog();
    const s = supervise(specs);
    await s.start();
    const netnsInode = (await import('node:fs')).statSync(netnsPath).ino;
    for (const spec of specs) {
      const pid = helperPid(spec, s);
      expect(pid).toBeDefined();
      const status = processStatus(pid!);
      expect(status.Uid?.split(/\s+/)).toEqual(['65534', '65534', '65534', '65534']);
      expect(status.Gid?.split(/\s+/)).toEqual(['65534', '65534', '65534', '65534']);
      expect(status.CapEff).toBe(capabilities[spec.name]);
      expect(status.CapBnd).toBe(capabilities[spec.name]);
      expect(status.NoNewPrivs).toBe('1');
      expect(status.Seccomp).toBe('2');
      // The helper shares the namespace it was launched into: the jail adds no network namespace.
      expect((await import('node:fs')).statSync(`/proc/${pid}/ns/net`).ino).toBe(netnsInode);
    }
  });

  test('each killed helper is replaced, and the new process receives its current state', async () => {
    const specs = helperCatalog();
    const s = supervise(specs);
    await s.start();
    s.broadcast({ guestMessage: { type: GuestType.ARC, event: GuestEvent.START, arcPid: 4242 } });
    for (const guest of ['arc_eth0', 'vmtap0']) {
      s.send('ndproxy-helper', deviceEnvelope({ action: 'start', upstream: 'eth0', guest }));
    }
    s.send('mcast-helper', deviceEnvelope({ action: 'start', upstream: 'eth0', guest: 'arc_eth0' }));
    // What each helper was sent: the guest to all, the pairs to the two proxies.
    const replayed: Record<string, number> = { 'ndproxy-helper': 3, 'mcast-helper': 2, 'adb-proxy': 1 };
    for (const spec of specs) {
      const before = helperPid(spec, s)!;
      const killedAt = Date.now();
      process.kill(before, 'SIGKILL');
      const [ready] = await sink.waitFor(
        (l) => l.msg === 'helper ready' && l.helper === spec.name && l.restarts === 1,
      );
      await sink.waitFor(
        (l) => l.msg === 'helper in sync' && l.helper === spec.name && l.replayed === replayed[spec.name],
      );
      expect(ready!.time - killedAt).toBeLessThan(5000);
      const after = helperPid(spec, s);
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
      expect(s.status().find((h) => h.name === spec.name)).toMatchObject({
        ready: true,
        inSync: true,
        restarts: 1,
      });
    }
  });

  test('a helper that sends garbage is restarted at growing intervals; the manager carries on', async () => {
    const [base] = helperCatalog();
    const garbage: HelperSpec = { ...base!, entry: path.join(fixtures, 'garbage-helper.js') };
    const s = supervise([garbage], { initialMs: 100, maxMs: 30_000, healthyAfterMs: 60_000 });
    void s.start().catch(() => {});
    const deaths = await sink.waitFor((l) => l.msg === 'helper died', 4, 20_000);
    expect(deaths.map((d) => d.delayMs)).toEqual([100, 200, 400, 800]);
    const gaps = deaths.slice(1).map((d, i) => d.time - deaths[i]!.time);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThan(gaps[i - 1]!);
    expect(
      sink.matching((l) => l.msg === 'killing helper' && /channel failed/.test(String(l.reason))),
    ).not.toHaveLength(0);
  });

  test('a syscall outside the policy kills the helper with SIGSYS; allowed, the same probe exits cleanly', async () => {
    const [base] = helperCatalog();
    const probe: HelperSpec = { ...base!, entry: path.join(fixtures, 'forbidden-syscall-helper.js') };
    const run = async (spec: HelperSpec): Promise<number | null> => {
      const plan = await inNetns(bwrapJail(), netnsPath).plan(spec, nobody);
      const child = spawn(plan.file, [...plan.args], {
        stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
      });
      (child.stdio[4] as Socket).end(Buffer.from(plan.seccompProgram!));
      return new Promise((resolve) => child.once('close', (code) => resolve(code)));
    };
    // bwrap reports a child killed by signal N as exit status 128 + N; SIGSYS is 31.
    expect(await run(probe)).toBe(128 + 31);

    // The allowed run uses a copy under the temporary directory: the jail must show a helper living there.
    const dir = mkdtempSync(path.join(tmpdir(), 'pp-policy-'));
    const widened = path.join(dir, 'widened.policy');
    await writeFile(widened, `${await readFile(base!.seccompPolicyPath, 'utf8')}mkdir: 1\nmkdirat: 1\n`);
    const entry = path.join(dir, 'probe.js');
    await copyFile(probe.entry, entry);
    await chmod(dir, 0o755);
    expect(await run({ ...probe, entry, seccompPolicyPath: widened })).toBe(0);
  });

  test('a jailer that dies before reading its seccomp program is restarted; the manager carries on', async () => {
    const [base] = helperCatalog();
    const broken: Jail = {
      kind: 'bwrap',
      async plan(spec, identity) {
        const plan = await inNetns(bwrapJail(), netnsPath).plan(spec, identity);
        return { ...plan, args: [...plan.args.slice(0, 3), '--no-such-bwrap-option', ...plan.args.slice(3)] };
      },
    };
    supervisor = new HelperSupervisor({
      specs: [base!],
      jail: broken,
      identity: nobody,
      logger: sink.logger,
      backoff: { initialMs: 50, maxMs: 200, healthyAfterMs: 60_000 },
      readyTimeoutMs: 10_000,
    });
    void supervisor.start().catch(() => {});
    const deaths = await sink.waitFor((l) => l.msg === 'helper died', 3, 10_000);
    expect(deaths.every((d) => d.code !== 0)).toBe(true);
  });

  test('stop closes every channel and no helper outlives it', async () => {
    const specs = helperCatalog();
    const s = supervise(specs);
    await s.start();
    const pids = specs.map((spec) => helperPid(spec, s)!);
    await s.stop();
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    await waitUntil(() => sink.matching((l) => l.msg === 'helper stopped').length === 3, 2000, 'stop logs');
  });
});
