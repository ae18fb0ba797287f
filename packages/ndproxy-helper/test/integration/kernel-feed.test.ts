import { join } from 'node:path';
import { integrationSuite, type TrackedProcess, waitUntil } from '@patchpanel/testbed';

// The feed watches the namespace of its process, so it runs in a child inside the test's namespace.
const dist = join(__dirname, '../../dist');
const watcher = `
  const pino = require('pino');
  const { NeighbourCache } = require(${JSON.stringify(join(dist, 'proxy'))});
  const { openKernelFeed } = require(${JSON.stringify(join(dist, 'system/kernel-feed'))});
  const { LinkTable } = require(${JSON.stringify(join(dist, 'system/link-table'))});
  const { interfaceIndex } = require('@patchpanel/netio');
  const cache = new NeighbourCache();
  const links = new LinkTable();
  openKernelFeed({ neighbours: cache, links }, pino({ level: 'silent' }));
  const ifindex = interfaceIndex('v0');
  const key = (text) => Buffer.from(text.split(':').map((g) => g.padStart(4, '0')).join(''), 'hex');
  let last = '';
  setInterval(() => {
    const seen = ['2001:db8:1:0:0:0:0:5', '2001:db8:1:0:0:0:0:6']
      .map((a) => cache.lookup(ifindex, key(a)))
      .map((mac) => (mac ? Buffer.from(mac).toString('hex') : '-'))
      .join(' ') + ' v0=' + Buffer.from(links.macOf('v0') ?? []).toString('hex');
    if (seen !== last) process.stdout.write('seen ' + seen + '\\n');
    last = seen;
  }, 20);`;

/** Waits until the watcher printed `line`; a timeout names it. */
const printed = (child: TrackedProcess, line: RegExp) =>
  waitUntil(() => line.test(child.output()), 5000, `${line} from the watcher`);

integrationSuite('the kernel feed follows the neighbour table and the link MACs', (ctx) => {
  test('entries present at start, added and removed later, and a MAC change reach the tables', async () => {
    const ns = await ctx.bed.netns('neigh');
    const peer = await ctx.bed.netns('peer');
    await ctx.bed.veth(ns, 'v0', peer, 'v1', { aMac: '02:00:00:00:00:70' });
    const neigh = (...argv: string[]) => ns.exec(['ip', '-6', 'neigh', ...argv]);
    await neigh('add', '2001:db8:1::5', 'lladdr', '02:00:00:00:00:05', 'dev', 'v0', 'nud', 'permanent');
    const child = await ctx.bed.spawn(ns, [process.execPath, '-e', watcher], {
      ready: { stdout: /seen 020000000005 - v0=020000000070/, timeoutMs: 10_000 },
    });
    await neigh('add', '2001:db8:1::6', 'lladdr', '02:00:00:00:00:06', 'dev', 'v0', 'nud', 'reachable');
    await printed(child, /seen 020000000005 020000000006/);
    await neigh('del', '2001:db8:1::5', 'dev', 'v0');
    await printed(child, /seen - 020000000006/);
    await ns.exec(['ip', 'link', 'set', 'dev', 'v0', 'address', '02:00:00:00:00:77']);
    // A new link address makes the kernel flush the device's learnt neighbours; the cache follows.
    await printed(child, /seen - - v0=020000000077/);
    expect(child.output().trimEnd().split('\n').at(-1)).toBe('seen - - v0=020000000077');
    await child.stop();
  });
});
