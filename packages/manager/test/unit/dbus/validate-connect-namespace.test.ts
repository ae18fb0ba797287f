import fc from 'fast-check';
import type { TrafficSource } from '../../../src/api/patchpanel-api';
import { MAX_REQUEST_BYTES, patchpanel } from '../../../src/dbus/proto-codec';
import { parseConnectNamespaceRequest } from '../../../src/dbus/validate-connect-namespace';

type Wire = patchpanel.ConnectNamespaceRequest.$Properties;
type Source = patchpanel.TrafficCounter.Source;

const OWN_PID = 777;
const LIVE = new Set([OWN_PID, 4242, 2]);
const checks = { ownPid: OWN_PID, pidExists: (pid: number) => LIVE.has(pid) };
const encode = (message: Wire) => patchpanel.ConnectNamespaceRequest.encode(message).finish();
const parse = (message: Wire, fd: number | undefined) =>
  parseConnectNamespaceRequest(encode(message), fd, checks);

describe('ConnectNamespace validation', () => {
  test('a minimal request: no device, UNKNOWN source becomes system, the fd becomes the lifeline', () => {
    expect(parse({ pid: 4242 }, 9)).toEqual({
      pid: 4242,
      outboundPhysicalDevice: undefined,
      allowUserTraffic: false,
      routeOnVpn: false,
      trafficSource: 'system',
      lifelineFd: 9,
    });
  });

  test('flags and the outbound device pass through', () => {
    expect(
      parse({ pid: 2, outboundPhysicalDevice: 'eth0', allowUserTraffic: true, routeOnVpn: true }, 0),
    ).toMatchObject({
      pid: 2,
      outboundPhysicalDevice: 'eth0',
      allowUserTraffic: true,
      routeOnVpn: true,
      lifelineFd: 0,
    });
  });

  test.each<[number, TrafficSource]>([
    [0, 'system'],
    [1, 'chrome'],
    [2, 'user'],
    [3, 'arc'],
    [4, 'crosvm'],
    [5, 'pluginvm'],
    [6, 'update_engine'],
    [7, 'host_vpn'],
    [8, 'system'],
  ])('traffic_source %d is %s', (wire, source) => {
    expect(parse({ pid: 4242, trafficSource: wire as Source }, 9).trafficSource).toBe(source);
  });

  test.each<[string, Wire, number | undefined, string]>([
    ['pid 1 (init)', { pid: 1 }, 9, 'pid'],
    ['pid 0 (unset)', { pid: 0 }, 9, 'pid'],
    ['pid -1 (a later upstream feature)', { pid: -1 }, 9, 'pid'],
    ['a negative pid', { pid: -4242 }, 9, 'pid'],
    ["the daemon's own pid", { pid: OWN_PID }, 9, 'pid'],
    ['a dead pid', { pid: 31337 }, 9, 'pid'],
    ['no fd', { pid: 4242 }, undefined, 'fd'],
    ['a negative fd', { pid: 4242 }, -1, 'fd'],
    ['traffic_source 9', { pid: 4242, trafficSource: 9 as Source }, 9, 'traffic_source'],
    [
      'traffic_source 13 (the 2023 numbering)',
      { pid: 4242, trafficSource: 13 as Source },
      9,
      'traffic_source',
    ],
    ['traffic_source -1', { pid: 4242, trafficSource: -1 as Source }, 9, 'traffic_source'],
    [
      'device "eth0 -j ACCEPT"',
      { pid: 4242, outboundPhysicalDevice: 'eth0 -j ACCEPT' },
      9,
      'outbound_physical_device',
    ],
    ['device "../x"', { pid: 4242, outboundPhysicalDevice: '../x' }, 9, 'outbound_physical_device'],
    [
      'a 16-character device',
      { pid: 4242, outboundPhysicalDevice: 'a'.repeat(16) },
      9,
      'outbound_physical_device',
    ],
    ['device "-eth0"', { pid: 4242, outboundPhysicalDevice: '-eth0' }, 9, 'outbound_physical_device'],
    ['device "eth0."', { pid: 4242, outboundPhysicalDevice: 'eth0.' }, 9, 'outbound_physical_device'],
  ])('rejects %s', (_name, message, fd, field) => {
    expect(() => parse(message, fd)).toThrow(
      expect.objectContaining({ code: 'PP_ERR_DBUS_INVALID_REQUEST', field }),
    );
  });

  test('an obviously bad pid is refused without looking for the process', () => {
    const pidExists = jest.fn(() => true);
    for (const pid of [1, 0, -1, OWN_PID]) {
      expect(() =>
        parseConnectNamespaceRequest(encode({ pid }), 9, { ownPid: OWN_PID, pidExists }),
      ).toThrow();
    }
    expect(pidExists).not.toHaveBeenCalled();
  });

  test.each([
    ['a truncated varint', '0880'],
    ['a length beyond the end', '120561'],
    ['wire type 7', '0f'],
    ['a lone 0xff', 'ff'],
    ['invalid UTF-8 in a string', '1202c328'],
  ])('undecodable: %s', (_name, text) => {
    expect(() => parseConnectNamespaceRequest(Buffer.from(text, 'hex'), 9, checks)).toThrow(
      expect.objectContaining({ code: 'PP_ERR_DBUS_UNDECODABLE' }),
    );
  });

  test(`more than ${MAX_REQUEST_BYTES} bytes is refused before decoding`, () => {
    const padded = Buffer.concat([
      encode({ pid: 4242 }),
      encode({ outboundPhysicalDevice: 'x'.repeat(MAX_REQUEST_BYTES) }),
    ]);
    expect(() => parseConnectNamespaceRequest(padded, 9, checks)).toThrow(
      expect.objectContaining({ code: 'PP_ERR_DBUS_UNDECODABLE' }),
    );
  });

  test('any bytes give a valid request or a coded refusal, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          const request = parseConnectNamespaceRequest(bytes, 9, checks);
          expect(LIVE.has(request.pid) && request.pid !== OWN_PID).toBe(true);
        } catch (err) {
          expect(err).toMatchObject({
            code: expect.stringMatching(/^PP_ERR_DBUS_(UNDECODABLE|INVALID_REQUEST)$/),
          });
        }
      }),
      { numRuns: 2000 },
    );
  });
});
