import { integrationSuite } from '@patchpanel/testbed';
import type { NetworkDeviceInfo } from '../../../src/api/patchpanel-api';
import { patchpanel } from '../../../src/dbus/proto-codec';
import { serviceOnBus } from './service-on-bus';

const forwarding: patchpanel.ModifyPortRuleRequest.$Properties = {
  op: 1,
  type: 3,
  proto: 1,
  inputIfname: 'eth0',
  inputDstPort: 8080,
  dstIp: '100.115.92.26',
  dstPort: 80,
};

const vmTap: NetworkDeviceInfo = {
  ifname: 'vmtap0',
  ipv4Address: '100.115.92.26',
  subnet: { base: '100.115.92.24', prefixLength: 30 },
  guestKind: 'termina_vm',
};

integrationSuite('ModifyPortRule, GetDevices and NetworkDeviceChanged over D-Bus', (ctx) => {
  const on = serviceOnBus(ctx);

  test('ModifyPortRule reaches the api with the validated rule; a failing api is success=false', async () => {
    const rule = { type: 'access' as const, protocol: 'udp' as const, port: 5353, inputIfname: 'eth0' };
    await on.client.modifyPortRule('create', rule);
    expect(on.api.portRuleChanges).toEqual([{ operation: 'create', rule }]);
    on.api.failWith = new Error('no');
    await expect(on.client.modifyPortRule('delete', rule)).rejects.toMatchObject({
      code: 'PP_ERR_DBUS_REFUSED',
    });
  });

  test.each<[string, patchpanel.ModifyPortRuleRequest.$Properties]>([
    ['ifname "eth0 -j ACCEPT"', { ...forwarding, inputIfname: 'eth0 -j ACCEPT' }],
    ['ifname "../x"', { ...forwarding, inputIfname: '../x' }],
    ['a 16-character ifname', { ...forwarding, inputIfname: 'abcdefghijklmnop' }],
    ['port 0', { ...forwarding, inputDstPort: 0 }],
    ['port 65536', { ...forwarding, inputDstPort: 65536 }],
    ['dst_port 65537', { ...forwarding, dstPort: 65537 }],
    ['op 7', { ...forwarding, op: 7 as patchpanel.ModifyPortRuleRequest.Operation }],
    ['proto 3', { ...forwarding, proto: 3 as patchpanel.ModifyPortRuleRequest.Protocol }],
    ['FORWARDING without an interface', { ...forwarding, inputIfname: '' }],
    ['dst_ip "100.115.92.256"', { ...forwarding, dstIp: '100.115.92.256' }],
  ])('ModifyPortRule with %s: success=false and the api never called', async (_name, fields) => {
    const response = await on.client.call(
      'ModifyPortRule',
      patchpanel.ModifyPortRuleRequest.encode(fields).finish(),
    );
    expect(patchpanel.ModifyPortRuleResponse.decode(response).success).toBe(false);
    expect(on.api.callCount).toBe(0);
    expect(on.sink.lines).toEqual([
      expect.objectContaining({ method: 'ModifyPortRule', code: 'PP_ERR_DBUS_INVALID_REQUEST' }),
    ]);
  });

  test('GetDevices lists the devices; undecodable bytes get the empty list without asking the api', async () => {
    on.api.devices = [vmTap];
    expect(await on.client.getDevices()).toEqual([vmTap]);
    expect((await on.client.call('GetDevices', Buffer.from('ff', 'hex'))).length).toBe(0);
    expect(on.api.getDevicesCalls).toBe(1);
  });

  test('the object exports exactly the implemented methods and the signal', async () => {
    const reply = await on.rawCall('Introspect', '', [], 'org.freedesktop.DBus.Introspectable');
    const xml = String(reply?.body[0]);
    const ours = xml.slice(xml.indexOf('<interface name="org.chromium.PatchPanel">'));
    const members = [
      ...ours.slice(0, ours.indexOf('</interface>')).matchAll(/<(method|signal) name="(\w+)"/g),
    ];
    expect(members.map(([, kind, name]) => `${kind} ${name}`)).toEqual([
      'method ConnectNamespace',
      'method ModifyPortRule',
      'method GetDevices',
      'signal NetworkDeviceChanged',
    ]);
  });

  test('NetworkDeviceChanged reaches a subscribed client', async () => {
    const received = new Promise((resolve) => {
      void on.client
        .onNetworkDeviceChanged(resolve)
        .then(() => on.service.emitNetworkDeviceChanged(vmTap, 'added'));
    });
    await expect(received).resolves.toEqual({ device: vmTap, change: 'added' });
  });
});
