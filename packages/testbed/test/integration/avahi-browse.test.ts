import { readFileSync } from 'node:fs';
import type { Netns, PrivateBus } from '../../src';
import { integrationSuite } from '../../src/jest';
import { findChildren, namespaceInode } from '../../src/proc';
import { type Avahi, startAvahi } from '../../src/services/avahi';
import { avahiBrowse } from '../../src/services/avahi-browse';
import { createVirtualHost } from '../../src/virtual-host';
import { vethPair } from './helpers';

const WEB = { name: 'pp web.1', type: '_http._tcp', port: 8080, txt: ['path=/', 'q="a;b"'] };

integrationSuite('avahi with D-Bus and avahi-browse', (ctx) => {
  let a: Netns;
  let b: Netns;
  let bus: PrivateBus;
  let browser: Avahi;

  beforeAll(async () => {
    ({ a, b } = await vethPair(ctx.bed));
    bus = await ctx.bed.dbus();
    await startAvahi(ctx.bed, a, { hostName: 'pp-a', interfaces: ['va'] }, [WEB]);
    browser = await startAvahi(ctx.bed, b, { hostName: 'pp-b', interfaces: ['vb'], bus });
  }, 60_000);

  test('the daemon is bwrap’s child in its namespace and has the bus address', () => {
    expect(findChildren(browser.process.pid).map((child) => child.pid)).toEqual([browser.pid]);
    expect(namespaceInode(`/proc/${browser.pid}/ns/net`)).toBe(namespaceInode(b.path));
    const environ = readFileSync(`/proc/${browser.pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain(`DBUS_SYSTEM_BUS_ADDRESS=${bus.address}`);
    expect(readFileSync(`/proc/${browser.pid}/comm`, 'utf8').trim()).toBe('avahi-daemon');
  });

  test("avahi-browse in b resolves a's service with a's address", async () => {
    const results = await avahiBrowse(b, bus, '_http._tcp', {
      waitFor: (r) => r.name === WEB.name && r.address === '192.0.2.1',
    });
    expect(results).toContainEqual({
      interface: 'vb',
      protocol: 'IPv4',
      name: WEB.name,
      type: '_http._tcp',
      domain: 'local',
      host: 'pp-a.local',
      address: '192.0.2.1',
      port: 8080,
      txt: expect.arrayContaining(WEB.txt),
    });
  });

  test('a type nobody publishes gives no result once the timeout passed', async () => {
    const started = Date.now();
    expect(await avahiBrowse(b, bus, '_ipp._tcp', { timeoutMs: 1_500 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
  });

  test('a bus without avahi on it makes avahi-browse fail', async () => {
    const empty = await ctx.bed.dbus();
    await expect(avahiBrowse(b, empty, '_http._tcp', { timeoutMs: 1_000 })).rejects.toMatchObject({
      code: 'PP_ERR_TESTBED_COMMAND',
      stderr: expect.stringMatching(/Daemon not running/i),
    });
  });

  test("the virtual host's avahi takes a bus too, and browsing finds its own service", async () => {
    const lanBus = await ctx.bed.dbus();
    const vh = await createVirtualHost(ctx.bed, { avahi: { bus: lanBus, services: [WEB] } });
    const results = await avahiBrowse(vh.lan, lanBus, '_http._tcp', {
      waitFor: (r) => r.protocol === 'IPv4' && r.address === vh.lanIpv4,
    });
    expect(results).toContainEqual(
      expect.objectContaining({
        interface: 'lan0',
        name: WEB.name,
        host: 'pp-lan.local',
        address: vh.lanIpv4,
      }),
    );
  });

  test('a bad service type is refused before anything runs', async () => {
    await expect(avahiBrowse(b, bus, '--all')).rejects.toMatchObject({
      code: 'PP_ERR_TESTBED_INVALID_ARGUMENT',
    });
  });
});
