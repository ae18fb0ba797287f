import { spawnSync } from 'node:child_process';
import { closeSync, fstatSync, writeSync } from 'node:fs';
import { integrationSuite } from '@patchpanel/testbed';
import { createLifelinePipe } from '../../../src/dbus/lifeline-pipe';
import { patchpanel } from '../../../src/dbus/proto-codec';
import { encodeConnectNamespaceRequest } from '../../../src/dbus/request-encoders';
import { readNow, serviceOnBus } from './service-on-bus';

function deadPid(): number {
  const { pid } = spawnSync('true');
  if (pid === undefined) throw new Error('cannot spawn true');
  return pid;
}

integrationSuite('ConnectNamespace over D-Bus', (ctx) => {
  const on = serviceOnBus(ctx);

  test('hands the api the write end of the client pipe as a usable lifeline', async () => {
    on.api.onConnect = (request) => writeSync(request.lifelineFd, 'hello');
    const lease = await on.client.connectNamespace({
      pid: on.containerPid,
      routeOnVpn: true,
      trafficSource: 'arc',
    });
    expect(lease.connection).toEqual({
      subnet: { base: '100.115.92.24', prefixLength: 30 },
      hostIfname: 'arc_ns0',
      hostIpv4: '100.115.92.25',
      peerIfname: 'veth0',
      peerIpv4: '100.115.92.26',
    });
    const [request] = on.api.namespaceRequests;
    expect(request).toMatchObject({
      pid: on.containerPid,
      routeOnVpn: true,
      trafficSource: 'arc',
      allowUserTraffic: false,
    });
    const lifeline = request?.lifelineFd ?? -1;
    expect(fstatSync(lifeline).isFIFO()).toBe(true);
    expect(readNow(lease.lifelineFd)).toBe('hello');
    // The client closed its own write end after the call: the daemon's copy is the last writer.
    closeSync(lifeline);
    expect(readNow(lease.lifelineFd)).toBeNull();
    closeSync(lease.lifelineFd);
  });

  test('when the client closes its end, the daemon side of the lifeline sees the hang-up', async () => {
    const lease = await on.client.connectNamespace({ pid: on.containerPid });
    const lifeline = on.api.namespaceRequests[0]?.lifelineFd ?? -1;
    writeSync(lifeline, 'still there');
    closeSync(lease.lifelineFd);
    expect(() => writeSync(lifeline, 'gone?')).toThrow(expect.objectContaining({ code: 'EPIPE' }));
    closeSync(lifeline);
  });

  test('a failing service gives the client a coded refusal and closes nothing the api owns', async () => {
    on.api.failWith = new Error('no subnet');
    await expect(on.client.connectNamespace({ pid: on.containerPid })).rejects.toMatchObject({
      code: 'PP_ERR_DBUS_REFUSED',
    });
    const lifeline = on.api.namespaceRequests[0]?.lifelineFd ?? -1;
    expect(fstatSync(lifeline).isFIFO()).toBe(true);
    closeSync(lifeline);
  });

  test.each<[string, () => Uint8Array, string | undefined]>([
    ['pid 1', () => encodeConnectNamespaceRequest({ pid: 1 }), 'pid'],
    ["the daemon's own pid", () => encodeConnectNamespaceRequest({ pid: process.pid }), 'pid'],
    ['a dead pid', () => encodeConnectNamespaceRequest({ pid: deadPid() }), 'pid'],
    [
      'traffic_source 9',
      () =>
        patchpanel.ConnectNamespaceRequest.encode({
          pid: on.containerPid,
          trafficSource: 9 as patchpanel.TrafficCounter.Source,
        }).finish(),
      'traffic_source',
    ],
    [
      'device "eth0 -j ACCEPT"',
      () => encodeConnectNamespaceRequest({ pid: on.containerPid, outboundPhysicalDevice: 'eth0 -j ACCEPT' }),
      'outbound_physical_device',
    ],
    [
      'a 16-character device',
      () =>
        encodeConnectNamespaceRequest({ pid: on.containerPid, outboundPhysicalDevice: 'abcdefghijklmnop' }),
      'outbound_physical_device',
    ],
    ['undecodable bytes', () => Buffer.from('0880', 'hex'), undefined],
  ])(
    '%s: empty answer, the api never called, the fd closed, one line says why',
    async (_name, request, field) => {
      const pipe = await createLifelinePipe();
      const response = await on.client.call('ConnectNamespace', request(), pipe.writeFd);
      closeSync(pipe.writeFd);
      expect(response.length).toBe(0);
      expect(on.api.callCount).toBe(0);
      expect(readNow(pipe.readFd)).toBeNull(); // EOF: the daemon kept no copy of the write end
      closeSync(pipe.readFd);
      expect(on.sink.lines).toEqual([
        expect.objectContaining({
          msg: 'request rejected',
          method: 'ConnectNamespace',
          code: field ? 'PP_ERR_DBUS_INVALID_REQUEST' : 'PP_ERR_DBUS_UNDECODABLE',
          ...(field ? { field } : {}),
        }),
      ]);
    },
  );

  test('without an fd: answered empty, not with a D-Bus error', async () => {
    const reply = await on.rawCall('ConnectNamespace', 'ay', [
      encodeConnectNamespaceRequest({ pid: on.containerPid }),
    ]);
    expect(reply?.body).toEqual([Buffer.alloc(0)]);
    expect(on.api.callCount).toBe(0);
    expect(on.sink.lines).toEqual([expect.objectContaining({ code: 'PP_ERR_DBUS_SIGNATURE' })]);
  });

  test('with two fds: answered empty and both fds closed', async () => {
    const [a, b] = [await createLifelinePipe(), await createLifelinePipe()];
    const request = encodeConnectNamespaceRequest({ pid: on.containerPid });
    const reply = await on.rawCall('ConnectNamespace', 'ayhh', [request, a.writeFd, b.writeFd]);
    for (const pipe of [a, b]) closeSync(pipe.writeFd);
    expect(reply?.body).toEqual([Buffer.alloc(0)]);
    expect([readNow(a.readFd), readNow(b.readFd)]).toEqual([null, null]);
    for (const pipe of [a, b]) closeSync(pipe.readFd);
    expect(on.api.callCount).toBe(0);
  });

  test('a method we do not implement: a D-Bus error from dbus-next, and its fd closed', async () => {
    const pipe = await createLifelinePipe();
    await expect(on.rawCall('SetVpnIntent', 'ayh', [Buffer.alloc(0), pipe.writeFd])).rejects.toMatchObject({
      type: 'org.freedesktop.DBus.Error.UnknownMethod',
    });
    closeSync(pipe.writeFd);
    expect(readNow(pipe.readFd)).toBeNull();
    closeSync(pipe.readFd);
  });
});
