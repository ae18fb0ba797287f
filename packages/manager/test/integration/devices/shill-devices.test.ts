import { integrationSuite } from '@patchpanel/testbed';
import * as dbus from 'dbus-next';
import { selectDeviceBackend } from '../../../src/devices/device-backend';
import type { DeviceEvent } from '../../../src/devices/device-source';
import { ShillDeviceSource } from '../../../src/devices/shill/shill-device-source';
import { EventRecorder } from '../../support/event-recorder';
import { FakeShill } from '../../support/fake-shill';
import { LogSink } from '../../support/log-sink';

const ifindexes: Record<string, number> = { eth0: 2, wlan0: 3, wwan0: 4, tun0: 9, eth9: 11 };
const resolveIfindex = (ifname: string) => ifindexes[ifname];

const isDevices = (event: DeviceEvent) => event.type === 'devices';
const defaultIs = (ifname: string | undefined) => (event: DeviceEvent) =>
  event.type === 'default' && event.current?.ifname === ifname;

integrationSuite('shill device source on a private bus', (ctx) => {
  let busAddress: string;
  let shill: FakeShill | undefined;
  const connections: dbus.MessageBus[] = [];
  const sources: ShillDeviceSource[] = [];

  beforeAll(async () => {
    busAddress = (await ctx.bed.dbus()).address;
  });

  afterEach(async () => {
    for (const source of sources.splice(0)) await source.stop();
    await shill?.stop();
    shill = undefined;
    for (const bus of connections.splice(0)) bus.disconnect();
  });

  function connect(): dbus.MessageBus {
    const bus = dbus.sessionBus({ busAddress });
    connections.push(bus);
    return bus;
  }

  /** A fake shill with ethernet and wifi listed, both services connected, ethernet the default. */
  async function startShill(): Promise<FakeShill> {
    shill = await FakeShill.start(busAddress);
    shill.addDevice('eth0', 'ethernet');
    shill.addDevice('wlan0', 'wifi');
    shill.listDevices(['eth0', 'wlan0']);
    shill.addService('1', { type: 'ethernet', device: 'eth0', connected: true });
    shill.addService('2', { type: 'wifi', device: 'wlan0', connected: true });
    shill.setDefaultService('1');
    return shill;
  }

  async function startSource(): Promise<{
    source: ShillDeviceSource;
    recorder: EventRecorder;
    log: LogSink;
  }> {
    const log = new LogSink();
    const source = new ShillDeviceSource({ bus: connect(), logger: log.logger, resolveIfindex });
    sources.push(source);
    const recorder = new EventRecorder(source);
    await source.start();
    return { source, recorder, log };
  }

  test('the selector takes netlink without shill on the bus and shill with it', async () => {
    const bus = connect();
    const logger = new LogSink().logger;
    const without = await selectDeviceBackend({ bus, logger });
    expect(without.kind).toBe('netlink'); // not started: nothing touches this namespace
    expect(without.routing).toBeDefined();
    await startShill();
    const withShill = await selectDeviceBackend({ bus, logger });
    expect(withShill.kind).toBe('shill');
    expect(withShill.routing).toBeUndefined();
    expect(withShill.source.backend).toBe('shill');
  });

  test('devices and the default device are known at start, and announced as events', async () => {
    await startShill();
    const { source, recorder } = await startSource();
    expect(source.devices()).toEqual([
      { ifname: 'eth0', ifindex: 2, kind: 'ethernet' },
      { ifname: 'wlan0', ifindex: 3, kind: 'wifi' },
    ]);
    expect(source.defaultDevice()).toEqual({ ifname: 'eth0', ifindex: 2, kind: 'ethernet', vpn: false });
    expect(recorder.events.map((e) => e.type)).toEqual(['devices', 'default']);
    expect(source.device('wlan0')?.kind).toBe('wifi');
  });

  test('a Devices change is reported as added and removed devices', async () => {
    const fake = await startShill();
    const { source, recorder } = await startSource();
    const mark = recorder.events.length;
    fake.addDevice('wwan0', 'cellular');
    fake.listDevices(['eth0', 'wwan0']);
    const event = await recorder.waitFor(isDevices, mark);
    expect(event).toEqual({
      type: 'devices',
      added: [{ ifname: 'wwan0', ifindex: 4, kind: 'cellular' }],
      removed: [{ ifname: 'wlan0', ifindex: 3, kind: 'wifi' }],
    });
    expect(source.devices().map((d) => d.ifname)).toEqual(['eth0', 'wwan0']);
  });

  test("a device's Interface change is a removal and an addition", async () => {
    const fake = await startShill();
    const { recorder } = await startSource();
    const mark = recorder.events.length;
    fake.setDeviceInterface('wlan0', 'eth9');
    const event = await recorder.waitFor(isDevices, mark);
    expect(event).toMatchObject({
      added: [{ ifname: 'eth9', ifindex: 11, kind: 'wifi' }],
      removed: [{ ifname: 'wlan0' }],
    });
  });

  test('DefaultService, and the IsConnected of the default service, move the default device', async () => {
    const fake = await startShill();
    const { source, recorder } = await startSource();
    let mark = recorder.events.length;
    fake.setDefaultService('2');
    expect(await recorder.waitFor(defaultIs('wlan0'), mark)).toMatchObject({
      current: { ifname: 'wlan0', kind: 'wifi', vpn: false },
      previous: { ifname: 'eth0' },
    });
    mark = recorder.events.length;
    fake.setServiceConnected('2', false);
    await recorder.waitFor(defaultIs(undefined), mark);
    expect(source.defaultDevice()).toBeUndefined();
    mark = recorder.events.length;
    fake.setServiceConnected('2', true);
    await recorder.waitFor(defaultIs('wlan0'), mark);
    mark = recorder.events.length;
    fake.setDefaultService(undefined);
    await recorder.waitFor(defaultIs(undefined), mark);
  });

  test('a VPN as the default service: its tunnel is the default device, marked vpn', async () => {
    const fake = await startShill();
    fake.addDevice('tun0', 'vpn');
    fake.addService('3', { type: 'vpn', device: 'tun0', connected: true });
    const { recorder } = await startSource();
    const mark = recorder.events.length;
    fake.setDefaultService('3');
    fake.setConnectionState('online');
    expect(await recorder.waitFor(defaultIs('tun0'), mark)).toMatchObject({
      current: { ifname: 'tun0', ifindex: 9, kind: 'other', vpn: true },
    });
  });

  test('without shill on the bus, start fails with PP_ERR_SHILL', async () => {
    const source = new ShillDeviceSource({ bus: connect(), logger: new LogSink().logger, resolveIfindex });
    await expect(source.start()).rejects.toMatchObject({ code: 'PP_ERR_SHILL' });
  });
});
