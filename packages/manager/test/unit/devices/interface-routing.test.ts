import { InterfaceRouting } from '../../../src/devices/routing/interface-routing';
import { FakeDeviceSource, FakeMainRoutes } from '../../support/fake-device-source';
import { FakeRoutingKernel } from '../../support/fake-routing-kernel';
import { connected, defaultVia, rule } from '../../support/kernel-fixtures';
import { LogSink } from '../../support/log-sink';

const eth0 = { ifname: 'eth0', ifindex: 2, kind: 'ethernet' } as const;
const eth1 = { ifname: 'eth1', ifindex: 3, kind: 'ethernet' } as const;

function setup(initial?: ConstructorParameters<typeof FakeRoutingKernel>[0]) {
  const devices = new FakeDeviceSource();
  const routes = new FakeMainRoutes();
  const kernel = new FakeRoutingKernel(initial);
  const log = new LogSink();
  const routing = new InterfaceRouting({ devices, routes, logger: log.logger, openKernel: () => kernel });
  return { devices, routes, kernel, routing, log };
}

const tables = (kernel: FakeRoutingKernel) => [...new Set(kernel.ruleList.map((r) => r.table))].sort();

describe('InterfaceRouting', () => {
  test('follows devices and main routes, and removes everything at stop', async () => {
    const { devices, routes, kernel, routing } = setup();
    devices.setDevices([eth0]);
    routes.set([defaultVia(2, '198.51.100.1', 100), connected(2, '198.51.100.0', 24)]);
    await routing.start();
    expect(tables(kernel)).toEqual([1002]);
    expect(kernel.routeList.map((r) => r.table)).toEqual([1002, 1002]);

    devices.setDevices([eth0, eth1]);
    routes.set([...routes.mainRoutes(), connected(3, '192.0.2.0', 24)]);
    await routing.settled();
    expect(tables(kernel)).toEqual([1002, 1003]);
    expect(kernel.routeList.filter((r) => r.table === 1003)).toHaveLength(1);

    devices.setDevices([eth1]);
    await routing.settled();
    expect(tables(kernel)).toEqual([1003]);
    expect(kernel.routeList.every((r) => r.table === 1003)).toBe(true);

    await routing.stop();
    expect(kernel.dump()).toEqual([]);
    expect(kernel.closed).toBe(true);
  });

  test('start removes leftovers of a killed daemon', async () => {
    const { devices, kernel, routing } = setup({ rules: [rule({ table: 1077, fwmark: 1077 * 0x10000 })] });
    devices.setDevices([eth0]);
    await routing.start();
    expect(tables(kernel)).toEqual([1002]);
    await routing.stop();
  });

  test('changes that do not alter the desired routing do not touch the kernel', async () => {
    const { devices, routes, kernel, routing } = setup();
    devices.setDevices([eth0]);
    await routing.start();
    const operations = kernel.operations.length;
    devices.setDefault({ ...eth0, vpn: false });
    routes.set([connected(9, '10.0.0.0', 8)]); // a guest veth's route
    await routing.settled();
    expect(kernel.operations.length).toBe(operations);
    await routing.stop();
  });

  test('a partial failure at start is logged, and retried on the next change', async () => {
    const { devices, kernel, routing, log } = setup();
    kernel.failWhen = (operation, item) =>
      operation === 'add rule' && item.family === 6 ? 'EPERM' : undefined;
    devices.setDevices([eth0]);
    await routing.start();
    expect(log.matching((l) => l.msg === 'routing only partly installed')).toHaveLength(1);
    kernel.failWhen = () => undefined;
    devices.setDevices([eth0, eth1]);
    await routing.settled();
    expect(kernel.ruleList.map((r) => `${r.family} ${r.table}`).sort()).toEqual([
      '4 1002',
      '4 1003',
      '6 1002',
      '6 1003',
    ]);
    await routing.stop();
  });

  test('stop reports what could not be removed, and still releases the kernel', async () => {
    const { devices, kernel, routing } = setup();
    devices.setDevices([eth0]);
    await routing.start();
    kernel.failWhen = (operation) => (operation === 'delete rule' ? 'EPERM' : undefined);
    await expect(routing.stop()).rejects.toMatchObject({ code: 'PP_ERR_DEVICE_ROUTING' });
    expect(kernel.closed).toBe(true);
  });

  test('refuses a rule priority outside 1..32765', () => {
    const make = (rulePriority: number) =>
      new InterfaceRouting({
        devices: new FakeDeviceSource(),
        routes: new FakeMainRoutes(),
        logger: new LogSink().logger,
        rulePriority,
      });
    expect(() => make(0)).toThrow(expect.objectContaining({ code: 'PP_ERR_DEVICE_CONFIG' }));
    expect(() => make(32766)).toThrow(expect.objectContaining({ code: 'PP_ERR_DEVICE_CONFIG' }));
    expect(() => make(1.5)).toThrow(expect.objectContaining({ code: 'PP_ERR_DEVICE_CONFIG' }));
  });
});
