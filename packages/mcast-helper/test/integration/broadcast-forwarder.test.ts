import { join } from 'node:path';
import {
  createVirtualHost,
  integrationSuite,
  type Netns,
  type TrackedProcess,
  type VirtualHost,
  waitUntil,
} from '@patchpanel/testbed';

// The forwarder watches the addresses of its process's namespace, so it runs in a child inside the host.
const dist = join(__dirname, '../../dist');
const forwarderScript = `
  const pino = require('pino');
  const { BroadcastForwarder } = require(${JSON.stringify(join(dist, 'broadcast-forwarder'))});
  const { Counters } = require(${JSON.stringify(join(dist, 'counters'))});
  const { createBroadcastIo } = require(${JSON.stringify(join(dist, 'system/broadcast-io'))});
  const { watchInterfaceAddresses } = require(${JSON.stringify(join(dist, 'system/interface-addresses'))});
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const addresses = watchInterfaceAddresses(logger);
  const io = createBroadcastIo(addresses.table, logger);
  const counters = new Counters();
  const forwarder = new BroadcastForwarder({ upstream: 'eth0', io, logger, counters });
  if (!forwarder.addGuest('gst0')) process.exit(1);
  // Addresses arrive after addGuest (the dump is asynchronous): the listeners re-open when they do.
  const addressed = () => io.ipv4Of('eth0') !== undefined && io.ipv4Of('gst0') !== undefined;
  let announced = false;
  let last = '';
  setInterval(() => {
    if (!announced && addressed()) process.stdout.write('ready\\n');
    announced ||= addressed();
    const ipv4 = io.ipv4Of('gst0');
    const line = 'gst0 ' + (ipv4 ? ipv4.address + '/' + ipv4.prefixLength : '-') + ' counters ' +
      JSON.stringify(counters.snapshot());
    if (line !== last) process.stdout.write(line + '\\n');
    last = line;
  }, 20);`;

const receiverScript = `
  const socket = require('node:dgram').createSocket({ type: 'udp4', reuseAddr: true });
  socket.on('message', (data, from) =>
    process.stdout.write(JSON.stringify({ data: data.toString(), from: from.address + ':' + from.port }) + '\\n'));
  socket.bind(9999, () => process.stdout.write('listening\\n'));`;

interface Datagram {
  readonly data: string;
  readonly from: string;
}

function received(receiver: TrackedProcess, data: string): Datagram[] {
  return receiver
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Datagram)
    .filter((datagram) => datagram.data === data);
}

/** One UDP broadcast from `port` out of `device`, sent by socat (SO_BROADCAST, SO_BINDTODEVICE). */
async function broadcast(ns: Netns, device: string, to: string, port: number, data: string): Promise<void> {
  const address = `UDP-DATAGRAM:${to}:9999,broadcast,bind=0.0.0.0:${port},so-bindtodevice=${device}`;
  await ns.exec(['socat', '-u', 'STDIN', address], { input: data });
}

/** Long enough for a looping copy to show up twice; a bound, not a measurement. */
const SETTLE_MS = 500;

integrationSuite('the broadcast forwarder relays UDP broadcasts between the LAN and a guest', (ctx) => {
  let vh: VirtualHost;
  let guest: Netns;
  let forwarder: TrackedProcess;
  let lanReceiver: TrackedProcess;
  let guestReceiver: TrackedProcess;

  beforeAll(async () => {
    vh = await createVirtualHost(ctx.bed);
    guest = await ctx.bed.netns('guest');
    await ctx.bed.veth(vh.host, 'gst0', guest, 'eth0');
    await vh.host.exec(['ip', 'addr', 'add', '100.115.92.129/30', 'dev', 'gst0']);
    await guest.exec(['ip', 'addr', 'add', '100.115.92.130/30', 'dev', 'eth0']);
    await guest.exec(['ip', 'route', 'add', 'default', 'via', '100.115.92.129']);
    const listening = { ready: { stdout: /listening/, timeoutMs: 10_000 } };
    lanReceiver = await ctx.bed.spawn(vh.lan, [process.execPath, '-e', receiverScript], listening);
    guestReceiver = await ctx.bed.spawn(guest, [process.execPath, '-e', receiverScript], listening);
    forwarder = await ctx.bed.spawn(vh.host, [process.execPath, '-e', forwarderScript], {
      ready: { stdout: /ready/, timeoutMs: 10_000 },
    });
  });

  test('LAN broadcasts, limited and directed, reach the guest once, from the LAN sender', async () => {
    await broadcast(vh.lan, 'lan0', '255.255.255.255', 5000, 'lan-limited');
    await broadcast(vh.lan, 'lan0', '198.51.100.255', 5000, 'lan-directed');
    await waitUntil(
      () => received(guestReceiver, 'lan-directed').length > 0,
      5000,
      'LAN broadcasts in the guest',
    );
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    for (const data of ['lan-limited', 'lan-directed']) {
      expect(received(guestReceiver, data)).toEqual([{ data, from: '198.51.100.1:5000' }]);
      // The LAN receiver has the sender's local copy only: nothing came back from the host.
      expect(received(lanReceiver, data)).toEqual([{ data, from: '198.51.100.1:5000' }]);
    }
  });

  test('guest broadcasts, limited and directed, reach the LAN once, from the host address', async () => {
    await broadcast(guest, 'eth0', '255.255.255.255', 40000, 'guest-limited');
    await broadcast(guest, 'eth0', '100.115.92.131', 40000, 'guest-directed');
    await waitUntil(
      () => received(lanReceiver, 'guest-directed').length > 0,
      5000,
      'guest broadcasts in the LAN',
    );
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    for (const data of ['guest-limited', 'guest-directed']) {
      expect(received(lanReceiver, data)).toEqual([{ data, from: '198.51.100.2:40000' }]);
      expect(received(guestReceiver, data)).toEqual([{ data, from: '100.115.92.130:40000' }]);
    }
  });

  test('the counters agree: two copies each way, nothing dropped', () => {
    const counters = JSON.parse([...forwarder.output().matchAll(/counters (.*)/g)].at(-1)?.[1] ?? '{}');
    // No 'drop:outgoing': a packet socket bound to ETH_P_IP never sees the host's own transmissions (the
    // kernel hands those to ETH_P_ALL taps only), so the injected copies and egress datagrams do not come back.
    expect(counters).toEqual({ 'lan-to-guest': 2, 'guest-to-lan': 2 });
  });

  test('a new guest address re-opens its listener: directed broadcasts follow it both ways', async () => {
    await vh.host.exec(['ip', 'addr', 'flush', 'dev', 'gst0']);
    await vh.host.exec(['ip', 'addr', 'add', '100.115.92.133/30', 'dev', 'gst0']);
    await guest.exec(['ip', 'addr', 'flush', 'dev', 'eth0']);
    await guest.exec(['ip', 'addr', 'add', '100.115.92.134/30', 'dev', 'eth0']);
    await guest.exec(['ip', 'route', 'add', 'default', 'via', '100.115.92.133']);
    // 100.115.92.133/30 as the number the child prints: the listener was re-opened when the table changed.
    await waitUntil(
      () => /gst0 1685281925\/30/.test(forwarder.output()),
      5000,
      'the new gst0 address in the forwarder',
    );
    await broadcast(vh.lan, 'lan0', '198.51.100.255', 5001, 'lan-directed-2');
    await broadcast(guest, 'eth0', '100.115.92.135', 40001, 'guest-directed-2');
    await waitUntil(
      () => received(lanReceiver, 'guest-directed-2').length > 0,
      5000,
      'the directed broadcasts',
    );
    await waitUntil(
      () => received(guestReceiver, 'lan-directed-2').length > 0,
      5000,
      'the directed broadcasts',
    );
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    expect(received(guestReceiver, 'lan-directed-2')).toEqual([
      { data: 'lan-directed-2', from: '198.51.100.1:5001' },
    ]);
    expect(received(lanReceiver, 'guest-directed-2')).toEqual([
      { data: 'guest-directed-2', from: '198.51.100.2:40001' },
    ]);
  });
});
