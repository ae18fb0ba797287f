import { patchpanel } from '../../../src/dbus/proto-codec';
import {
  encodeConnectNamespaceRequest,
  encodeModifyPortRuleRequest,
} from '../../../src/dbus/request-encoders';
import { createRequestHandlers } from '../../../src/dbus/request-handlers';
import {
  decodeConnectNamespaceResponse,
  decodeGetDevicesResponse,
  decodeModifyPortRuleResponse,
} from '../../../src/dbus/response-decoders';
import { ManagerError } from '../../../src/errors';
import { FakePatchPanelApi } from '../../support/fake-patchpanel-api';
import { LogSink } from '../../support/log-sink';

class PoolExhausted extends ManagerError {
  readonly code = 'PP_ERR_SUBNET_EXHAUSTED';
}

const LIVE_PID = 4242;
const OWN_PID = 777;

function setup() {
  const api = new FakePatchPanelApi();
  const sink = new LogSink();
  const closed: number[] = [];
  const handlers = createRequestHandlers({
    api,
    logger: sink.logger,
    checks: { ownPid: OWN_PID, pidExists: (pid) => pid === LIVE_PID || pid === OWN_PID },
    closeFd: (fd) => closed.push(fd),
  });
  return { api, sink, closed, handlers };
}

const forward = {
  type: 'forwarding' as const,
  protocol: 'tcp' as const,
  inputIfname: 'eth0',
  inputDstIp: undefined,
  port: 8080,
  dstIp: '100.115.92.26',
  dstPort: 80,
};

describe('ConnectNamespace handler', () => {
  test('a valid request reaches the api with the fd as lifeline, and the answer is the encoded namespace', async () => {
    const { api, handlers, closed, sink } = setup();
    const response = await handlers.connectNamespace(encodeConnectNamespaceRequest({ pid: LIVE_PID }), 11);
    expect(api.namespaceRequests).toEqual([
      expect.objectContaining({ pid: LIVE_PID, lifelineFd: 11, trafficSource: 'system' }),
    ]);
    expect(decodeConnectNamespaceResponse(response)).toEqual({
      subnet: { base: '100.115.92.24', prefixLength: 30 },
      hostIfname: 'arc_ns0',
      hostIpv4: '100.115.92.25',
      peerIfname: 'veth0',
      peerIpv4: '100.115.92.26',
    });
    expect(closed).toEqual([]);
    expect(sink.lines).toEqual([
      expect.objectContaining({ msg: 'connected', netnsName: 'connected_netns_0' }),
    ]);
  });

  test.each([
    ['pid 1', encodeConnectNamespaceRequest({ pid: 1 }), 'PP_ERR_DBUS_INVALID_REQUEST'],
    ['its own pid', encodeConnectNamespaceRequest({ pid: OWN_PID }), 'PP_ERR_DBUS_INVALID_REQUEST'],
    ['a dead pid', encodeConnectNamespaceRequest({ pid: 999_999 }), 'PP_ERR_DBUS_INVALID_REQUEST'],
    [
      'a hostile device',
      encodeConnectNamespaceRequest({ pid: LIVE_PID, outboundPhysicalDevice: 'eth0 -j ACCEPT' }),
      'PP_ERR_DBUS_INVALID_REQUEST',
    ],
    ['garbage', Buffer.from('ffff', 'hex'), 'PP_ERR_DBUS_UNDECODABLE'],
  ])(
    '%s: the api never sees it, the fd is closed, the answer is empty, one warning says why',
    async (_name, bytes, code) => {
      const { api, handlers, closed, sink } = setup();
      const response = await handlers.connectNamespace(bytes, 12);
      expect(response.length).toBe(0);
      expect(api.callCount).toBe(0);
      expect(closed).toEqual([12]);
      expect(sink.lines).toEqual([
        expect.objectContaining({
          level: 40,
          msg: 'request rejected',
          method: 'ConnectNamespace',
          code,
          reason: expect.any(String),
        }),
      ]);
    },
  );

  test('no fd: nothing to close, empty answer', async () => {
    const { api, handlers, closed } = setup();
    expect(
      (await handlers.connectNamespace(encodeConnectNamespaceRequest({ pid: LIVE_PID }), undefined)).length,
    ).toBe(0);
    expect(api.callCount).toBe(0);
    expect(closed).toEqual([]);
  });

  test('a failing service: empty answer, its code logged as an error, the fd left to the api that owns it', async () => {
    const { api, handlers, closed, sink } = setup();
    api.failWith = new PoolExhausted('no /30 left');
    const response = await handlers.connectNamespace(encodeConnectNamespaceRequest({ pid: LIVE_PID }), 13);
    expect(response.length).toBe(0);
    expect(closed).toEqual([]);
    expect(sink.lines).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'request failed',
        code: 'PP_ERR_SUBNET_EXHAUSTED',
        reason: 'no /30 left',
      }),
    ]);
  });
});

describe('ModifyPortRule handler', () => {
  test('a valid rule reaches the api and the answer is success', async () => {
    const { api, handlers } = setup();
    const response = await handlers.modifyPortRule(encodeModifyPortRuleRequest('delete', forward));
    expect(api.portRuleChanges).toEqual([{ operation: 'delete', rule: forward }]);
    expect(decodeModifyPortRuleResponse(response)).toBe(true);
  });

  test('an invalid rule never reaches the api: success=false and a warning', async () => {
    const { api, handlers, sink } = setup();
    const bytes = patchpanel.ModifyPortRuleRequest.encode({
      op: 1,
      type: 1,
      proto: 1,
      inputDstPort: 65536,
    }).finish();
    const response = await handlers.modifyPortRule(bytes);
    expect(decodeModifyPortRuleResponse(response)).toBe(false);
    expect(api.callCount).toBe(0);
    expect(sink.lines).toEqual([
      expect.objectContaining({ code: 'PP_ERR_DBUS_INVALID_REQUEST', field: 'input_dst_port' }),
    ]);
  });

  test('a service that throws something uncoded: success=false, logged as PP_ERR_UNEXPECTED', async () => {
    const { api, handlers, sink } = setup();
    api.failWith = new Error('iptables-restore: line 3 failed');
    expect(
      decodeModifyPortRuleResponse(
        await handlers.modifyPortRule(encodeModifyPortRuleRequest('create', forward)),
      ),
    ).toBe(false);
    expect(sink.lines).toEqual([
      expect.objectContaining({
        level: 50,
        code: 'PP_ERR_UNEXPECTED',
        reason: 'iptables-restore: line 3 failed',
      }),
    ]);
  });
});

describe('GetDevices handler', () => {
  test('lists the api devices', () => {
    const { api, handlers } = setup();
    api.devices = [
      {
        ifname: 'vmtap0',
        ipv4Address: '100.115.92.26',
        subnet: { base: '100.115.92.24', prefixLength: 30 },
        guestKind: 'termina_vm',
      },
    ];
    expect(decodeGetDevicesResponse(handlers.getDevices(Buffer.alloc(0)))).toEqual(api.devices);
  });

  test('undecodable bytes or a failing api give the empty list', () => {
    const { api, handlers, sink } = setup();
    expect(handlers.getDevices(Buffer.from('ff', 'hex')).length).toBe(0);
    expect(api.getDevicesCalls).toBe(0);
    api.failWith = new Error('boom');
    expect(handlers.getDevices(Buffer.alloc(0)).length).toBe(0);
    expect(sink.lines.map((line) => line.code)).toEqual(['PP_ERR_DBUS_UNDECODABLE', 'PP_ERR_UNEXPECTED']);
  });
});
