import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { integrationSuite, type Netns, type TrackedProcess, waitUntil } from '@patchpanel/testbed';

const run = promisify(execFile);
const probeScript = path.resolve(__dirname, '../../support/device-probe.ts');
const probeArgv = [process.execPath, '-r', require.resolve('esbuild-register'), probeScript];

interface ProbeEvent {
  readonly event: string;
  readonly [key: string]: unknown;
}

function eventsOf(probe: TrackedProcess): ProbeEvent[] {
  return probe
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{"event"'))
    .map((line) => JSON.parse(line) as ProbeEvent);
}

async function waitForEvent(
  probe: TrackedProcess,
  predicate: (event: ProbeEvent) => boolean,
  from: number,
): Promise<ProbeEvent> {
  let found: ProbeEvent | undefined;
  await waitUntil(
    () => {
      found = eventsOf(probe).slice(from).find(predicate);
      return found !== undefined;
    },
    10_000,
    `a probe event; output:\n${probe.output()}`,
  ).catch(() => {
    throw new Error(`no matching probe event; output:\n${probe.output()}`);
  });
  return found as ProbeEvent;
}

/** Polls an async condition (a command's output) until it holds. */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const tag = (ifindex: number) => `0x${((ifindex + 1000) * 0x10000).toString(16)}`;

integrationSuite('netlink device source and per-interface routing', (ctx) => {
  let host: Netns;
  let lan1: Netns;
  let lan2: Netns;
  let rootRules: string;
  let hostRules: { v4: string; v6: string };
  const probes: TrackedProcess[] = [];

  const ip = async (ns: Netns, ...args: string[]) => (await ns.exec(['ip', ...args])).stdout;
  const rules = async () => ({ v4: await ip(host, 'rule'), v6: await ip(host, '-6', 'rule') });
  const table = async (ifindex: number, family = '-4') =>
    ip(host, family, 'route', 'show', 'table', String(ifindex + 1000));

  beforeAll(async () => {
    // Read only: compared with the same read at the end.
    rootRules = (await run('ip', ['rule'])).stdout + (await run('ip', ['-6', 'rule'])).stdout;
    host = await ctx.bed.netns('host');
    lan1 = await ctx.bed.netns('lan1');
    lan2 = await ctx.bed.netns('lan2');
    // Replies to mark-routed pings arrive on the pinned link, not the main table's; strict rp_filter drops them.
    await host.sysctl({ 'net.ipv4.conf.all.rp_filter': 0, 'net.ipv4.conf.default.rp_filter': 0 });
    await lan2.exec(['ip', 'addr', 'add', '203.0.113.1/32', 'dev', 'lo']);
    hostRules = await rules();
  });

  afterEach(async () => {
    for (const probe of probes.splice(0)) await probe.stop();
    for (const link of ['eth1', 'eth2', 'wlan1', 'veth7']) {
      await host.exec(['ip', 'link', 'del', link]).catch(() => undefined);
    }
  });

  async function startProbe(...args: string[]): Promise<{ probe: TrackedProcess; started: ProbeEvent }> {
    const probe = await ctx.bed.spawn(host, [...probeArgv, ...args], {
      ready: { stdout: /"event":"started"/, timeoutMs: 20_000 },
    });
    probes.push(probe);
    const started = await waitForEvent(probe, (e) => e.event === 'started', 0);
    return { probe, started };
  }

  async function ifindexOf(ifname: string): Promise<number> {
    const [link] = JSON.parse(await ip(host, '-j', 'link', 'show', 'dev', ifname)) as Array<{
      ifindex: number;
    }>;
    return link?.ifindex ?? 0;
  }

  /** A veth `ifname` in host to `lan`, with net.2/24 on the host side and net.1/24 on the lan side. */
  async function uplink(ifname: string, lan: Netns, net: string): Promise<number> {
    await ctx.bed.veth(host, ifname, lan, `up-${ifname}`);
    await host.exec(['ip', 'addr', 'add', `${net}.2/24`, 'dev', ifname]);
    await lan.exec(['ip', 'addr', 'add', `${net}.1/24`, 'dev', `up-${ifname}`]);
    return ifindexOf(ifname);
  }

  test('a veth named eth1 appearing and disappearing is reported; a veth7 is not', async () => {
    const { probe, started } = await startProbe('--no-routing');
    expect(started.devices).toEqual([]);
    await ctx.bed.veth(host, 'veth7', lan1, 'x7');
    await ctx.bed.veth(host, 'eth1', lan1, 'x1');
    const ifindex = await ifindexOf('eth1');
    const added = await waitForEvent(probe, (e) => e.event === 'devices', 0);
    expect(added).toMatchObject({ added: [{ ifname: 'eth1', ifindex, kind: 'ethernet' }], removed: [] });

    const mark = eventsOf(probe).length;
    await host.exec(['ip', 'link', 'del', 'eth1']);
    const removed = await waitForEvent(probe, (e) => e.event === 'devices', mark);
    expect(removed).toMatchObject({ added: [], removed: [{ ifname: 'eth1', ifindex }] });
    expect(JSON.stringify(eventsOf(probe))).not.toContain('veth7');
  });

  test('a rename is a removal and an addition with the same ifindex', async () => {
    await ctx.bed.veth(host, 'eth1', lan1, 'x1');
    const ifindex = await ifindexOf('eth1');
    const { probe, started } = await startProbe('--no-routing');
    expect(started.devices).toEqual([{ ifname: 'eth1', ifindex, kind: 'ethernet' }]);
    const mark = eventsOf(probe).length;
    await host.exec(['ip', 'link', 'set', 'eth1', 'down']);
    await host.exec(['ip', 'link', 'set', 'eth1', 'name', 'wlan1']);
    const renamed = await waitForEvent(probe, (e) => e.event === 'devices', mark);
    expect(renamed).toMatchObject({
      added: [{ ifname: 'wlan1', ifindex, kind: 'wifi' }],
      removed: [{ ifname: 'eth1', ifindex, kind: 'ethernet' }],
    });
  });

  test('the default device is known at start and follows the lowest-metric default route', async () => {
    const eth1 = await uplink('eth1', lan1, '198.51.100');
    const eth2 = await uplink('eth2', lan2, '198.51.101');
    await host.exec(['ip', 'route', 'add', 'default', 'via', '198.51.100.1', 'metric', '100']);
    const { probe, started } = await startProbe('--no-routing');
    expect(started.default).toEqual({ ifname: 'eth1', ifindex: eth1, kind: 'ethernet', vpn: false });

    const next = async (change: string[], ifname: string | undefined) => {
      const mark = eventsOf(probe).length;
      await host.exec(['ip', ...change]);
      const event = await waitForEvent(probe, (e) => e.event === 'default', mark);
      expect((event.current as { ifname?: string } | undefined)?.ifname).toBe(ifname);
    };
    await next(['route', 'add', 'default', 'via', '198.51.101.1', 'metric', '50'], 'eth2');
    await next(['route', 'del', 'default', 'via', '198.51.101.1', 'metric', '50'], 'eth1');
    await next(['route', 'del', 'default', 'via', '198.51.100.1', 'metric', '100'], undefined);
    await next(['-6', 'route', 'add', 'default', 'via', 'fe80::1', 'dev', 'eth2'], 'eth2');
    await next(['route', 'add', 'default', 'via', '198.51.100.1', 'metric', '3000'], 'eth1');
    expect(eth2).toBeGreaterThan(0);
  });

  test('per-interface tables and fwmark rules appear, follow the main table, and go with the device and at stop', async () => {
    const eth1 = await uplink('eth1', lan1, '198.51.100');
    const eth2 = await uplink('eth2', lan2, '198.51.101');
    await host.exec(['ip', 'route', 'add', 'default', 'via', '198.51.100.1', 'metric', '100']);
    await host.exec(['ip', 'route', 'add', 'default', 'via', '198.51.101.1', 'metric', '200']);
    const { probe } = await startProbe();

    const { v4, v6 } = await rules();
    for (const ifindex of [eth1, eth2]) {
      const line = `1000:\tfrom all fwmark ${tag(ifindex)}/0xffff0000 lookup ${ifindex + 1000} proto 112`;
      expect(v4.split('\n')).toContain(line);
      expect(v6.split('\n')).toContain(line);
    }
    expect(await table(eth1)).toContain('default via 198.51.100.1 dev eth1 proto 112 metric 100');
    expect(await table(eth1)).toContain('198.51.100.0/24 dev eth1 proto 112 scope link src 198.51.100.2');
    expect(await table(eth2)).toContain('default via 198.51.101.1 dev eth2 proto 112 metric 200');
    expect(await table(eth2, '-6')).toContain('fe80::/64 dev eth2 proto 112');

    await host.exec(['ip', 'route', 'add', '203.0.113.0/24', 'via', '198.51.101.1']);
    await eventually(
      async () => (await table(eth2)).includes('203.0.113.0/24 via 198.51.101.1'),
      'a copied route',
    );
    await host.exec(['ip', 'route', 'del', '203.0.113.0/24']);
    await eventually(async () => !(await table(eth2)).includes('203.0.113.0/24'), 'the copy to go');

    await host.exec(['ip', 'link', 'del', 'eth2']);
    await eventually(async () => !(await rules()).v4.includes(`lookup ${eth2 + 1000}`), 'eth2 rules to go');
    expect((await rules()).v6).not.toContain(`lookup ${eth2 + 1000}`);
    expect(await table(eth2)).toBe('');
    expect((await rules()).v4).toContain(`lookup ${eth1 + 1000}`);

    await probe.stop({ graceMs: 5_000 });
    expect(eventsOf(probe).at(-1)).toEqual({ event: 'stopped', ok: true });
    expect(await rules()).toEqual(hostRules);
    expect(await table(eth1)).toBe('');
    expect(await table(eth1, '-6')).toBe('');
  });

  test('after kill -9 the next start removes the leftovers and duplicates nothing', async () => {
    const eth1 = await uplink('eth1', lan1, '198.51.100');
    const eth2 = await uplink('eth2', lan2, '198.51.101');
    const first = await startProbe();
    process.kill(first.probe.pid, 'SIGKILL');
    await first.probe.exited;
    expect((await rules()).v4).toContain(`lookup ${eth2 + 1000}`);
    await host.exec(['ip', 'link', 'del', 'eth2']); // its routes go with it; its rules stay behind

    await startProbe();
    const { v4, v6 } = await rules();
    for (const text of [v4, v6]) {
      expect(text).not.toContain(`lookup ${eth2 + 1000}`);
      expect(text.split('\n').filter((line) => line.includes(`lookup ${eth1 + 1000}`))).toHaveLength(1);
    }
    const copies = (await table(eth1)).split('\n').filter(Boolean);
    expect(new Set(copies).size).toBe(copies.length);
    expect(copies).toContain('198.51.100.0/24 dev eth1 proto 112 scope link src 198.51.100.2 ');
  });

  test('a packet carrying a routing tag leaves through that device', async () => {
    const eth1 = await uplink('eth1', lan1, '198.51.100');
    const eth2 = await uplink('eth2', lan2, '198.51.101');
    await host.exec(['ip', 'route', 'add', 'default', 'via', '198.51.100.1', 'metric', '100']);
    await host.exec(['ip', 'route', 'add', 'default', 'via', '198.51.101.1', 'metric', '200']);
    await startProbe();
    // 203.0.113.1 exists only behind eth2; the main table sends everything to eth1.
    const ping = (mark?: number) =>
      host
        .exec(['ping', '-c1', '-W1', ...(mark === undefined ? [] : ['-m', String(mark)]), '203.0.113.1'])
        .then(
          () => true,
          () => false,
        );
    expect(await ping()).toBe(false);
    expect(await ping((eth1 + 1000) * 0x10000)).toBe(false);
    expect(await ping((eth2 + 1000) * 0x10000)).toBe(true);
    expect(await ping((eth2 + 1000) * 0x10000 + 0x0401)).toBe(true); // other mark bits do not matter
  });

  test('the root namespace rules are unchanged', async () => {
    const now = (await run('ip', ['rule'])).stdout + (await run('ip', ['-6', 'rule'])).stdout;
    expect(now).toBe(rootRules);
  });
});
