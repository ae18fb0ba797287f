import type { Netns } from '../../src';
import { integrationSuite } from '../../src/jest';
import { namespaceInode } from '../../src/proc';
import { sendUdp, startUdpListener } from '../../src/services/udp';
import { vethPair } from './helpers';

integrationSuite('UDP peers for broadcast and multicast', (ctx) => {
  let a: Netns;
  let b: Netns;

  beforeAll(async () => {
    ({ a, b } = await vethPair(ctx.bed));
  });

  test('a broadcast to 255.255.255.255 arrives with the sender address and port', async () => {
    const listener = await startUdpListener(ctx.bed, a, { port: 9999 });
    expect(namespaceInode(`/proc/${listener.pid}/ns/net`)).toBe(namespaceInode(a.path));
    const sent = await sendUdp(b, {
      to: '255.255.255.255',
      port: 9999,
      payload: 'limited',
      broadcast: true,
      interface: 'vb',
      sourcePort: 40001,
    });
    expect(sent.sourcePort).toBe(40001);
    expect(await listener.waitForDatagrams(1)).toEqual([{ from: '192.0.2.2:40001', payload: 'limited' }]);
    await listener.stop();
    expect(listener.process.running).toBe(false);
  });

  test('a directed broadcast arrives from the ephemeral port the sender reports, every one of them', async () => {
    const listener = await startUdpListener(ctx.bed, a, { port: 9998 });
    const sent = await sendUdp(b, {
      to: '192.0.2.255',
      port: 9998,
      payload: 'directed',
      broadcast: true,
      count: 3,
      intervalMs: 20,
    });
    expect(sent.sourcePort).toBeGreaterThan(1023);
    const datagrams = await listener.waitForDatagrams(3);
    expect(datagrams).toEqual(
      new Array(3).fill({ from: `192.0.2.2:${sent.sourcePort}`, payload: 'directed' }),
    );
  });

  test('a broadcast without SO_BROADCAST is refused by the sender', async () => {
    await expect(sendUdp(b, { to: '192.0.2.255', port: 9998, payload: 'x' })).rejects.toMatchObject({
      code: 'PP_ERR_TESTBED_COMMAND',
      stderr: expect.stringMatching(/EACCES/),
    });
  });

  test('an IPv4 group datagram reaches a listener joined on the interface, not one that is not', async () => {
    const joined = await startUdpListener(ctx.bed, a, {
      port: 5000,
      group: { address: '239.1.2.3', interface: 'va' },
    });
    const unicastOnly = await startUdpListener(ctx.bed, a, { port: 5000, address: '192.0.2.1' });
    await sendUdp(b, { to: '239.1.2.3', port: 5000, payload: 'group', interface: 'vb', sourcePort: 40002 });
    expect(await joined.waitForDatagrams(1)).toEqual([{ from: '192.0.2.2:40002', payload: 'group' }]);
    expect(await unicastOnly.waitForDatagrams(1, 500)).toEqual([]);
  });

  test('an IPv6 group datagram reaches a listener joined on the interface', async () => {
    const listener = await startUdpListener(ctx.bed, a, {
      port: 5001,
      family: 6,
      group: { address: 'ff02::1:3', interface: 'va' },
    });
    await sendUdp(b, { to: 'ff02::1:3', port: 5001, payload: 'six', interface: 'vb', sourcePort: 40003 });
    const [datagram] = await listener.waitForDatagrams(1);
    expect(datagram?.payload).toBe('six');
    expect(datagram?.from).toMatch(/^\[fe80::[0-9a-f:]+%va\]:40003$/);
  });

  test('bad arguments are refused before anything runs', async () => {
    await expect(sendUdp(b, { to: 'not-an-address', port: 1, payload: '' })).rejects.toMatchObject({
      code: 'PP_ERR_TESTBED_INVALID_ARGUMENT',
    });
    await expect(startUdpListener(ctx.bed, a, { port: 70000 })).rejects.toMatchObject({
      code: 'PP_ERR_TESTBED_INVALID_ARGUMENT',
    });
  });
});
