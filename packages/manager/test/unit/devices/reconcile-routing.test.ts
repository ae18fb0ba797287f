import pino from 'pino';
import { desiredRouting, NO_ROUTING } from '../../../src/devices/routing/desired-routing';
import { reconcileRouting } from '../../../src/devices/routing/reconcile-routing';
import { diffRouting } from '../../../src/devices/routing/routing-diff';
import { FakeRoutingKernel } from '../../support/fake-routing-kernel';
import { connected, defaultVia, route, rule } from '../../support/kernel-fixtures';

const logger = pino({ level: 'silent' });
const eth0 = { ifname: 'eth0', ifindex: 2, kind: 'ethernet' } as const;
const eth1 = { ifname: 'eth1', ifindex: 3, kind: 'ethernet' } as const;
const main = [
  defaultVia(2, '198.51.100.1', 100),
  connected(2, '198.51.100.0', 24, '198.51.100.2'),
  defaultVia(3, '192.0.2.1', 200),
  connected(3, '192.0.2.0', 24, '192.0.2.9'),
];
/** What an administrator or another daemon put there: never touched. */
const foreign = {
  rules: [rule({ protocol: 0 }), rule({ table: 254, fwmark: 0x100, fwmask: 0xff00, protocol: 4 })],
  routes: [route({ table: 1002, protocol: 4, dst: '10.0.0.0', dstLen: 8 }), ...main],
};

describe('reconcileRouting against a kernel that keeps state', () => {
  test('installs exactly the desired routing, connected routes before gateway routes', async () => {
    const kernel = new FakeRoutingKernel(foreign);
    const before = kernel.dump();
    const desired = desiredRouting([eth0, eth1], main);
    await reconcileRouting(kernel, desired, logger);
    const added = kernel.dump().filter((line) => !before.includes(line));
    expect(added).toEqual([
      'route 4 1002 0.0.0.0/0 tos 0 metric 100 dev 2 via 198.51.100.1 src - proto 112',
      'route 4 1002 198.51.100.0/24 tos 0 metric 0 dev 2 via - src 198.51.100.2 proto 112',
      'route 4 1003 0.0.0.0/0 tos 0 metric 200 dev 3 via 192.0.2.1 src - proto 112',
      'route 4 1003 192.0.2.0/24 tos 0 metric 0 dev 3 via - src 192.0.2.9 proto 112',
      'rule 4 pref 1000 fwmark 65667072/4294901760 table 1002 proto 112',
      'rule 4 pref 1000 fwmark 65732608/4294901760 table 1003 proto 112',
      'rule 6 pref 1000 fwmark 65667072/4294901760 table 1002 proto 112',
      'rule 6 pref 1000 fwmark 65732608/4294901760 table 1003 proto 112',
    ]);
    const routeAdds = kernel.operations.filter((op) => op.endsWith('route'));
    expect(routeAdds.every((op) => op === 'create route')).toBe(true);
    const ours = kernel.routeList.filter((r) => r.protocol === 112).map((r) => r.gateway !== undefined);
    expect(ours).toEqual([false, false, true, true]);
  });

  test('a second pass changes nothing', async () => {
    const kernel = new FakeRoutingKernel(foreign);
    const desired = desiredRouting([eth0, eth1], main);
    await reconcileRouting(kernel, desired, logger);
    const operations = kernel.operations.length;
    const changes = await reconcileRouting(kernel, desired, logger);
    expect(kernel.operations.length).toBe(operations);
    expect(Object.values(changes).flat()).toEqual([]);
  });

  test('removing everything restores the kernel as it was', async () => {
    const kernel = new FakeRoutingKernel(foreign);
    const before = kernel.dump();
    await reconcileRouting(kernel, desiredRouting([eth0, eth1], main), logger);
    await reconcileRouting(kernel, NO_ROUTING, logger);
    expect(kernel.dump()).toEqual(before);
  });

  test('leftovers of a killed run (other devices, duplicates, another priority) go; the rest stays', async () => {
    const stale = [
      rule({ table: 1042, fwmark: 1042 * 0x10000 }),
      rule({ family: 6, table: 1042, fwmark: 1042 * 0x10000 }),
      rule({}),
      rule({}),
      rule({ priority: 77 }),
    ];
    const staleRoutes = [route({ table: 1042, protocol: 112, oif: 42, gateway: '10.0.0.1' })];
    const kernel = new FakeRoutingKernel({
      rules: [...foreign.rules, ...stale],
      routes: [...foreign.routes, ...staleRoutes],
    });
    await reconcileRouting(kernel, desiredRouting([eth0], main), logger);
    const expected = new FakeRoutingKernel(foreign);
    await reconcileRouting(expected, desiredRouting([eth0], main), logger);
    expect(kernel.dump()).toEqual(expected.dump());
  });

  test('a changed gateway is replaced in place', async () => {
    const kernel = new FakeRoutingKernel();
    await reconcileRouting(kernel, desiredRouting([eth0], main), logger);
    const moved = [defaultVia(2, '198.51.100.254', 100), connected(2, '198.51.100.0', 24, '198.51.100.2')];
    const changes = await reconcileRouting(kernel, desiredRouting([eth0], moved), logger);
    expect(changes.replaceRoutes.map((r) => r.gateway)).toEqual(['198.51.100.254']);
    expect(changes.deleteRoutes).toEqual([]);
    expect(kernel.routeList.find((r) => r.dstLen === 0)?.gateway).toBe('198.51.100.254');
  });

  test('every step is tried; failures are collected in one PP_ERR_DEVICE_ROUTING', async () => {
    const kernel = new FakeRoutingKernel();
    kernel.failWhen = (operation, item) =>
      operation === 'add rule' && item.family === 6 ? 'EAFNOSUPPORT' : undefined;
    const error = await reconcileRouting(kernel, desiredRouting([eth0, eth1], main), logger).catch((e) => e);
    expect(error).toMatchObject({ code: 'PP_ERR_DEVICE_ROUTING' });
    expect(error.failures.map((f: { errno: string }) => f.errno)).toEqual(['EAFNOSUPPORT', 'EAFNOSUPPORT']);
    expect(kernel.ruleList.map((r) => r.family)).toEqual([4, 4]);
    expect(kernel.routeList).toHaveLength(4);
  });

  test('"already there" and "already gone" answers count as success', async () => {
    const kernel = new FakeRoutingKernel();
    kernel.failWhen = (operation) => (operation === 'add rule' ? 'EEXIST' : undefined);
    await expect(reconcileRouting(kernel, desiredRouting([eth0], main), logger)).resolves.toBeDefined();
    kernel.failWhen = (operation) => (operation.startsWith('delete') ? 'ESRCH' : undefined);
    await expect(reconcileRouting(kernel, NO_ROUTING, logger)).resolves.toBeDefined();
  });
});

describe('diffRouting', () => {
  test('never deletes what is not the daemon own', () => {
    const changes = diffRouting(NO_ROUTING, foreign.rules, foreign.routes);
    expect(Object.values(changes).flat()).toEqual([]);
  });
});
