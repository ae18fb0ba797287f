// Golden bytes computed by hand from the field numbers of spec §2.4 (tag = field << 3 | wire type), not by
// protobufjs: they pin the wire format the ChromeOS clients speak.
import { patchpanel } from '../../../src/dbus/proto-codec';
import {
  encodeConnectNamespaceRequest,
  encodeGetDevicesRequest,
  encodeModifyPortRuleRequest,
} from '../../../src/dbus/request-encoders';
import {
  decodeConnectNamespaceResponse,
  decodeGetDevicesResponse,
  decodeModifyPortRuleResponse,
  decodeNetworkDeviceChanged,
} from '../../../src/dbus/response-decoders';
import {
  encodeConnectNamespaceResponse,
  encodeGetDevicesResponse,
  encodeModifyPortRuleResponse,
  encodeNetworkDeviceChanged,
  FAILURE_RESPONSE,
} from '../../../src/dbus/responses';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const bytes = (text: string) => Buffer.from(text, 'hex');

const connected = {
  subnet: { base: '100.115.92.24', prefixLength: 30 },
  hostIfname: 'arc_ns0',
  hostIpv4: '100.115.92.25',
  peerIfname: 'veth0',
  peerIpv4: '100.115.92.26',
};
// 0a08 {08 e4e6f1c201 (base_addr 0x185c7364) 101e (prefix 30)} 1205 "veth0" 18 e4e6f1d201 (100.115.92.26)
// 2207 "arc_ns0" 28 e4e6f1ca01 (100.115.92.25)
const CONNECTED = '0a0808e4e6f1c201101e1205766574683018e4e6f1d20122076172635f6e733028e4e6f1ca01';

const arcDevice = {
  ifname: 'arc_eth0',
  ipv4Address: '100.115.92.6',
  subnet: { base: '100.115.92.4', prefixLength: 30 },
  guestKind: 'arc' as const,
};
// 0a08 "arc_eth0" 10 e4e6f132 (100.115.92.6) 1a07 {08 e4e6f122 (100.115.92.4) 101e} 2001 (ARC): 26 bytes
const ARC_DEVICE = '0a086172635f6574683010e4e6f1321a0708e4e6f122101e2001';

describe('ConnectNamespace on the wire', () => {
  test('request as system-proxy sends it: pid 4242, user traffic, on VPN, source ARC', () => {
    const request = encodeConnectNamespaceRequest({
      pid: 4242,
      allowUserTraffic: true,
      routeOnVpn: true,
      trafficSource: 'arc',
    });
    expect(hex(request)).toBe('089221180120012803');
  });

  test('request with an outbound device and source SYSTEM', () => {
    const request = encodeConnectNamespaceRequest({
      pid: 4242,
      outboundPhysicalDevice: 'eth0',
      trafficSource: 'system',
    });
    expect(hex(request)).toBe('0892211204657468302808');
  });

  test('response packs every address as s_addr', () => {
    expect(hex(encodeConnectNamespaceResponse({ ...connected, netnsName: 'connected_netns_0' }))).toBe(
      CONNECTED,
    );
    expect(decodeConnectNamespaceResponse(bytes(CONNECTED))).toEqual(connected);
  });

  test('the failure response is empty, and a client reads it as failure', () => {
    expect(FAILURE_RESPONSE.length).toBe(0);
    expect(decodeConnectNamespaceResponse(FAILURE_RESPONSE)).toBeUndefined();
  });
});

describe('ModifyPortRule on the wire', () => {
  test('CREATE FORWARDING TCP eth0:8080 -> 100.115.92.6:80', () => {
    const request = encodeModifyPortRuleRequest('create', {
      type: 'forwarding',
      protocol: 'tcp',
      inputIfname: 'eth0',
      inputDstIp: undefined,
      port: 8080,
      dstIp: '100.115.92.6',
      dstPort: 80,
    });
    expect(hex(request)).toBe('08011003180122046574683030903f3a0c3130302e3131352e39322e364050');
  });

  test('response: success is 0801, failure is empty', () => {
    expect(hex(encodeModifyPortRuleResponse(true))).toBe('0801');
    expect(hex(encodeModifyPortRuleResponse(false))).toBe('');
    expect(decodeModifyPortRuleResponse(bytes('0801'))).toBe(true);
    expect(decodeModifyPortRuleResponse(FAILURE_RESPONSE)).toBe(false);
  });
});

describe('GetDevices and NetworkDeviceChanged on the wire', () => {
  test('the request is empty', () => {
    expect(hex(encodeGetDevicesRequest())).toBe('');
  });

  test('a device packs its address and subnet base as s_addr', () => {
    expect(hex(encodeGetDevicesResponse([arcDevice]))).toBe(`0a1a${ARC_DEVICE}`);
    expect(decodeGetDevicesResponse(bytes(`0a1a${ARC_DEVICE}`))).toEqual([arcDevice]);
    expect(hex(encodeGetDevicesResponse([]))).toBe('');
  });

  test('each guest kind has its GuestType', () => {
    const kinds = ['arc', 'arcvm', 'termina_vm', 'plugin_vm'] as const;
    const devices = kinds.map((guestKind) => ({ ...arcDevice, guestKind }));
    const wire = patchpanel.GetDevicesResponse.decode(encodeGetDevicesResponse(devices));
    expect(wire.devices.map((d) => d.guestType)).toEqual([1, 2, 3, 4]);
    expect(decodeGetDevicesResponse(encodeGetDevicesResponse(devices))).toEqual(devices);
  });

  test('signal: device then event (DEVICE_REMOVED = 2)', () => {
    const signal = encodeNetworkDeviceChanged(arcDevice, 'removed');
    expect(hex(signal)).toBe(`0a1a${ARC_DEVICE}1002`);
    expect(decodeNetworkDeviceChanged(signal)).toEqual({ device: arcDevice, change: 'removed' });
    expect(hex(encodeNetworkDeviceChanged(arcDevice, 'added'))).toBe(`0a1a${ARC_DEVICE}1001`);
  });

  test('a client refuses a device of UNKNOWN guest type and a signal without an event', () => {
    expect(() => decodeGetDevicesResponse(bytes('0a020a00'))).toThrow(
      expect.objectContaining({ code: 'PP_ERR_DBUS_BAD_RESPONSE' }),
    );
    expect(() => decodeNetworkDeviceChanged(bytes(`0a1a${ARC_DEVICE}`))).toThrow(
      expect.objectContaining({ code: 'PP_ERR_DBUS_BAD_RESPONSE' }),
    );
  });
});
