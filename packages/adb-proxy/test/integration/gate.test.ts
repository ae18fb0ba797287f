import { adbClient, integrationSuite } from '@patchpanel/testbed';
import { ARCVM_CID, arc, arcvm, GuestEvent, guestEnvelope, policyEnvelope } from '../support/messages';
import { useAdbProxy } from '../support/proxy';
import {
  connectError,
  eachEchoes,
  echoes,
  eventsFromNow,
  GUEST_ADDRESS,
  holdConnections,
  RELAY_KINDS,
  transfer,
} from '../support/topology';

// When the relay listens, where it connects and how many it takes; relaying itself is relay.test.ts's.
const [relay] = RELAY_KINDS;

integrationSuite('adb-proxy: when it listens and where it relays', (ctx) => {
  const adb = useAdbProxy(ctx);

  test('nothing listens before the Android guest starts, even with ADB allowed', async () => {
    const proxy = await adb.start({ relay });
    proxy.send(policyEnvelope(true));
    await proxy.barrier();
    expect(await connectError(adb.topology)).toBe('ECONNREFUSED');
    proxy.send(guestEnvelope(arcvm(GuestEvent.START)));
    await proxy.waitUntilRelaying();
  });

  test('nothing listens while ADB is not allowed, even with the guest up', async () => {
    const proxy = await adb.start({ relay });
    proxy.send(policyEnvelope(false));
    proxy.send(guestEnvelope(arcvm(GuestEvent.START)));
    await proxy.barrier();
    expect(await connectError(adb.topology)).toBe('ECONNREFUSED');
    proxy.send(policyEnvelope(true));
    await proxy.waitUntilRelaying();
  });

  test('one dual-stack socket: IPv6 and IPv4 clients are relayed alike', async () => {
    const proxy = await adb.start({ relay });
    proxy.openForArcvm();
    await proxy.waitUntilRelaying();
    const { host } = adb.topology;
    expect(await echoes(adb.topology, { from: host, host: '::1' })).toBe(true);
    expect(await echoes(adb.topology, { from: host, host: '127.0.0.1' })).toBe(true);
  });

  test("adb connect through the relay reaches the guest's adbd", async () => {
    const proxy = await adb.start({ relay });
    proxy.openForArcvm();
    await proxy.waitUntilRelaying();
    const adbdEvents = eventsFromNow(adb.topology.adbd);
    const client = adbClient(ctx.bed, adb.topology.client, { serverPort: 15_037 });
    try {
      const target = `${adb.topology.proxyAddress}:5555`;
      expect(await client.connect(target)).toBe(`connected to ${target}`);
      expect(await client.devices()).toEqual([
        {
          serial: target,
          state: 'device',
          properties: expect.objectContaining({ product: 'pp', model: 'pp', device: 'pp' }),
        },
      ]);
      // The CNXN the fake answered came from the adb server, through the relay.
      expect(adbdEvents().filter((e) => e.event === 'cnxn')).toEqual([
        expect.objectContaining({ checksumOk: true, banner: expect.stringMatching(/^host::features=/) }),
      ]);
    } finally {
      await client.stop();
    }
    expect(client.running()).toEqual([]);
  });

  test('a STOP with a stale ARCVM cid changes nothing: connections keep flowing, the listener stays', async () => {
    const proxy = await adb.start({ relay });
    proxy.openForArcvm(ARCVM_CID);
    await proxy.waitUntilRelaying();
    // An ARCVM restart: the new START comes before the old STOP.
    proxy.send(guestEnvelope(arcvm(GuestEvent.START, ARCVM_CID + 1)));
    const clients = await holdConnections(adb.topology, 3);
    try {
      await eachEchoes(clients, 3);
      proxy.send(guestEnvelope(arcvm(GuestEvent.STOP, ARCVM_CID)));
      await proxy.waitForHelperLog(`guest message ignored: stale STOP for cid 33, cid 34 is up`);
      await eachEchoes(clients, 3);
      expect(clients.events().filter((e) => e.event === 'closed')).toEqual([]);
      expect(await echoes(adb.topology)).toBe(true);
    } finally {
      await clients.stop();
    }
  });

  test.each([
    ['through its Unix socket', 'unixSocket', 'unix'],
    ['over TCP when its Unix socket is absent', 'absentSocket', 'tcp'],
  ] as const)('ARC++ is relayed %s', async (_how, socket, via) => {
    const proxy = await adb.start({ relay, containerSocket: adb.topology[socket] });
    proxy.send(policyEnvelope(true));
    proxy.send(guestEnvelope(arc(GuestEvent.START)));
    await proxy.waitUntilRelaying();
    const adbdEvents = eventsFromNow(adb.topology.adbd);
    expect(await echoes(adb.topology, { payload: `via ${via}` })).toBe(true);
    expect(adbdEvents().filter((e) => e.event === 'accepted')).toEqual([expect.objectContaining({ via })]);
  });

  test('a client for which no target accepts is closed at once, with a log line saying why each failed', async () => {
    // ARC++: its Unix socket is absent and nothing listens on the TCP port.
    const proxy = await adb.start({
      relay,
      containerSocket: adb.topology.absentSocket,
      tcpTarget: { address: GUEST_ADDRESS, port: 5556 },
    });
    proxy.send(policyEnvelope(true));
    proxy.send(guestEnvelope(arc(GuestEvent.START)));
    await proxy.barrier();
    const [result] = await transfer(adb.topology, { payload: 'anyone there?', timeoutMs: 10_000 });
    expect(result).toMatchObject({ received: 0 });
    expect(result!.error === 'ECONNRESET' || result!.peerFin).toBe(true);
    const line = await proxy.waitForHelperLog('adb connection closed: no target');
    expect(String(line.reason)).toMatch(/absent\.sock: .*ENOENT.*; 100\.115\.92\.2:5556: .*ECONNREFUSED/);
  });

  test('past the connection cap a new connection is refused with a log line; the others keep working', async () => {
    const proxy = await adb.start({ relay, maxConnections: 3 });
    proxy.openForArcvm();
    await proxy.waitUntilRelaying();
    const clients = await holdConnections(adb.topology, 3);
    try {
      await eachEchoes(clients, 3);
      const adbdEvents = eventsFromNow(adb.topology.adbd);
      const [extra] = await transfer(adb.topology, { payload: 'one too many', timeoutMs: 10_000 });
      // Accepted and closed at once (FIN, or a reset since its bytes were never read), nothing echoed.
      expect(extra).toMatchObject({ received: 0 });
      expect(extra!.error === 'ECONNRESET' || extra!.peerFin).toBe(true);
      expect(
        await proxy.waitForHelperLog('adb connection refused: the connection cap is reached'),
      ).toMatchObject({
        maxConnections: 3,
      });
      expect(adbdEvents()).toEqual([]);
      await eachEchoes(clients, 3);
      expect(clients.events().filter((e) => e.event === 'closed')).toEqual([]);
    } finally {
      await clients.stop();
    }
    // Below the cap again, a new connection is relayed.
    await proxy.waitUntilRelaying();
  });
});
