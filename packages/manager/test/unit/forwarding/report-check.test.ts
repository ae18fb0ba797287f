import { checkReport } from '../../../src/forwarding/ipv6/report-check';

// 02:00:00:aa:bb:01 → interface id 0000:00ff:feaa:bb01 (U/L bit flipped).
const MAC = Uint8Array.of(0x02, 0x00, 0x00, 0xaa, 0xbb, 0x01);

describe('checkReport: what the manager accepts from the sandboxed ND proxy', () => {
  test('a route to a global or ULA guest address, in canonical text', () => {
    expect(checkReport({ type: 'route', ifname: 'arc_ns0', address: '2001:DB8:1:0::0005' }, MAC)).toEqual({
      type: 'route',
      address: '2001:db8:1::5',
    });
    expect(checkReport({ type: 'route', ifname: 'arc_ns0', address: 'fd12::1' }, MAC).address).toBe(
      'fd12::1',
    );
  });

  test('an address for the guest-facing interface must be its own EUI-64 address', () => {
    const own = '2001:db8:1::ff:feaa:bb01';
    expect(checkReport({ type: 'add-address', ifname: 'arc_ns0', address: own }, MAC).address).toBe(own);
    expect(checkReport({ type: 'del-address', ifname: 'arc_ns0', address: own }, MAC).type).toBe(
      'del-address',
    );
    expect(() =>
      checkReport({ type: 'add-address', ifname: 'arc_ns0', address: '2001:db8:1::ff:feaa:bb02' }, MAC),
    ).toThrow(/not the EUI-64 address of arc_ns0/);
    expect(() => checkReport({ type: 'add-address', ifname: 'arc_ns0', address: own }, undefined)).toThrow(
      /EUI-64/,
    );
  });

  test.each([
    ['fe80::1', /not a global or unique local/],
    ['ff02::1', /not a global or unique local/],
    ['::1', /not a global or unique local/],
    ['::', /not a global or unique local/],
    ['198.51.100.7', /not a global or unique local/],
    ['2001:db8::1%eth0', /not an address/],
    ['2001:db8::1/64', /not an address/],
    ['2001:db8::1 dev eth0', /not an address/],
    ['::ffff:1.2.3.4', /not an address/],
    ['', /not an address/],
  ])('%j is refused with a PP_ERR_IPV6_REPORT', (address, reason) => {
    const report = { type: 'route' as const, ifname: 'arc_ns0', address };
    expect(() => checkReport(report, MAC)).toThrow(reason);
    expect(() => checkReport(report, MAC)).toThrow(expect.objectContaining({ code: 'PP_ERR_IPV6_REPORT' }));
  });
});
