import {
  decodeEnvelope,
  encodeEnvelope,
  InvalidMessageError,
  NDProxyEventType,
  type NdProxyReport,
  ndProxyEnvelope,
  readNdProxyMessage,
} from '../../src';

describe('NDProxyMessage: reports from the ND proxy', () => {
  test.each<[NdProxyReport, number]>([
    [{ type: 'route', ifname: 'arc_ns0', address: '2001:db8:1::5' }, NDProxyEventType.ADD_ROUTE],
    [{ type: 'add-address', ifname: 'arc_ns0', address: '2001:db8:1::a' }, NDProxyEventType.ADD_ADDR],
    [{ type: 'del-address', ifname: 'vmtap0', address: 'fd00::1' }, NDProxyEventType.DEL_ADDR],
  ])('%j travels as type %d and reads back the same', (report, wireType) => {
    const envelope = ndProxyEnvelope(report);
    expect(envelope.ndproxyMessage?.type).toBe(wireType);
    const received = decodeEnvelope(encodeEnvelope(envelope));
    expect(received?.kind).toBe('ndproxyMessage');
    if (received?.kind === 'ndproxyMessage') expect(readNdProxyMessage(received.message)).toEqual(report);
  });

  test.each([
    [{ type: NDProxyEventType.UNKNOWN, ifname: 'arc_ns0', ip6addr: '2001:db8::1' }, /type 0/],
    [{ type: 42, ifname: 'arc_ns0', ip6addr: '2001:db8::1' }, /type 42/],
    [{ type: NDProxyEventType.ADD_ROUTE, ifname: 'arc_ns0' }, /without an address/],
    [{ type: NDProxyEventType.ADD_ADDR, ifname: 'arc_ns0', ip6addr: '' }, /without an address/],
  ])('%j is refused', (message, reason) => {
    expect(() => readNdProxyMessage(message)).toThrow(InvalidMessageError);
    expect(() => readNdProxyMessage(message)).toThrow(reason);
  });
});
