import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { integrationSuite, type Netns, type TrackedProcess, waitUntil } from '@patchpanel/testbed';
import { helperCatalog } from '../../src/helpers/helper-catalog';
import { isAlive, nodeProcessRunning } from '../support/proc';

const daemonMain = path.resolve(__dirname, '../../dist/main.js');

function configFile(settings: object): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'pp-daemon-')), 'patchpanel.json');
  writeFileSync(file, JSON.stringify(settings));
  return file;
}

integrationSuite('patchpaneld', (ctx) => {
  let host: Netns;
  let busAddress: string;
  const running: TrackedProcess[] = [];

  afterEach(async () => {
    for (const daemon of running.splice(0)) await daemon.stop({ graceMs: 5000 });
  });

  beforeAll(async () => {
    host = await ctx.bed.netns('host');
    busAddress = (await ctx.bed.dbus()).address;
  });

  async function startDaemon() {
    const config = configFile({ helperUser: '65534:65534', jail: 'bwrap', logLevel: 'info', busAddress });
    const daemon = await ctx.bed.spawn(host, [process.execPath, daemonMain, '--config', config], {
      ready: { stdout: /"msg":"patchpaneld ready"/, timeoutMs: 20_000 },
    });
    running.push(daemon);
    const helpers = helperCatalog().map((spec) => nodeProcessRunning(daemon.pid, spec.entry));
    expect(helpers.every((pid) => pid !== undefined)).toBe(true);
    return { daemon, helpers: helpers as number[] };
  }

  test('starts every helper jailed and reports ready', async () => {
    const { daemon } = await startDaemon();
    const lines = daemon
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    const ready = lines.filter((l) => l.msg === 'helper ready' && l.component === 'supervisor');
    expect(ready.map((l) => l.helper).sort()).toEqual(['adb-proxy', 'mcast-helper', 'ndproxy-helper']);
    expect(lines.find((l) => l.msg === 'patchpaneld ready')).toMatchObject({
      jail: 'bwrap',
      firewall: 'nftables',
      devices: 'netlink',
    });
    await daemon.stop();
  });

  test('SIGTERM stops the helpers and exits 0', async () => {
    const { daemon, helpers } = await startDaemon();
    const exit = await daemon.stop({ graceMs: 5000 });
    expect(exit).toEqual({ code: 0, signal: null });
    for (const pid of helpers) expect(isAlive(pid)).toBe(false);
  });

  // The parent-death signal makes it immediate; the bound is generous for a loaded machine.
  test('kill -9 of the manager takes every helper down at once', async () => {
    const { daemon, helpers } = await startDaemon();
    process.kill(daemon.pid, 'SIGKILL');
    const elapsed = await waitUntil(() => helpers.every((pid) => !isAlive(pid)), 10_000, 'helpers to exit');
    expect(elapsed).toBeLessThan(3000);
  });

  test('a second daemon on the same bus refuses to start, and starts no helper of its own', async () => {
    const { daemon, helpers } = await startDaemon();
    const config = configFile({ helperUser: '65534:65534', jail: 'bwrap', busAddress });
    await expect(
      ctx.bed.spawn(host, [process.execPath, daemonMain, '--config', config], {
        ready: { stdout: /patchpaneld ready/, timeoutMs: 10_000 },
      }),
    ).rejects.toThrow(/PP_ERR_BUS.*already owned|already owned.*PP_ERR_BUS/s);
    expect(helpers.every(isAlive)).toBe(true);
    await daemon.stop();
  });

  test('a bad configuration is refused with a clear error and no helper starts', async () => {
    const config = configFile({ jail: 'chroot' });
    await expect(
      ctx.bed.spawn(host, [process.execPath, daemonMain, '--config', config], {
        ready: { stdout: /patchpaneld ready/, timeoutMs: 10_000 },
      }),
    ).rejects.toThrow(/PP_ERR_CONFIG/);
  });
});
