import {
  directedBroadcast,
  formatIpv4Address,
  inSubnet,
  ipv4AddressBytes,
  ipv4AddressFromBytes,
  LIMITED_BROADCAST,
  parseIpv4Address,
  subnetMask,
} from '../../src/broadcast';

describe('IPv4 address text', () => {
  test.each([
    ['0.0.0.0', 0],
    ['192.168.1.255', 0xc0a801ff],
    ['255.255.255.255', 0xffffffff],
    ['100.115.92.7', 0x64735c07],
  ])('%s <-> %d', (text, value) => {
    expect(parseIpv4Address(text)).toBe(value);
    expect(formatIpv4Address(value)).toBe(text);
  });

  test.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.0.0.1',
    '01.2.3.4',
    '1.2.3.-4',
    ' 1.2.3.4',
    '::1',
    '1.2.3.4/24',
    'a.b.c.d',
  ])('refuses %j', (text) => {
    expect(parseIpv4Address(text)).toBeUndefined();
  });

  test.each([
    [[0, 0, 0, 0], 0],
    [[192, 168, 1, 255], 0xc0a801ff],
    [[255, 255, 255, 255], 0xffffffff],
  ])('bytes %j <-> %d', (bytes, value) => {
    expect(ipv4AddressFromBytes(Uint8Array.from(bytes))).toBe(value);
    expect([...ipv4AddressBytes(value)]).toEqual(bytes);
  });

  test('refuses anything but 4 bytes, with a code', () => {
    expect(() => ipv4AddressFromBytes(new Uint8Array(16))).toThrow(
      expect.objectContaining({ code: 'PP_ERR_MCAST_INVALID_ARGUMENT' }),
    );
  });

  test('the limited broadcast is unsigned', () => {
    expect(LIMITED_BROADCAST).toBe(0xffffffff);
    expect(LIMITED_BROADCAST).toBeGreaterThan(0);
  });
});

describe('subnets', () => {
  test.each([
    [0, '0.0.0.0'],
    [1, '128.0.0.0'],
    [24, '255.255.255.0'],
    [30, '255.255.255.252'],
    [32, '255.255.255.255'],
  ])('mask of /%d is %s', (prefixLength, mask) => {
    expect(formatIpv4Address(subnetMask(prefixLength))).toBe(mask);
  });

  test.each([-1, 33, 24.5, Number.NaN])('refuses prefix length %d', (prefixLength) => {
    const invalid = expect.objectContaining({ code: 'PP_ERR_MCAST_INVALID_ARGUMENT' });
    expect(() => subnetMask(prefixLength)).toThrow(invalid);
    expect(() => directedBroadcast(0, prefixLength)).toThrow(invalid);
  });

  test.each([
    ['192.168.1.20', 24, '192.168.1.255'],
    ['100.115.92.5', 30, '100.115.92.7'],
    ['10.1.2.3', 8, '10.255.255.255'],
    ['10.1.2.3', 0, '255.255.255.255'],
  ])('directed broadcast of %s/%d is %s', (address, prefixLength, broadcast) => {
    expect(directedBroadcast(parseIpv4Address(address)!, prefixLength)).toBe(parseIpv4Address(broadcast));
  });

  test('/31 and /32 have no directed broadcast', () => {
    expect(directedBroadcast(parseIpv4Address('10.0.0.0')!, 31)).toBeUndefined();
    expect(directedBroadcast(parseIpv4Address('10.0.0.1')!, 32)).toBeUndefined();
  });

  test('inSubnet compares the bits under the prefix, also for high addresses', () => {
    const network = { address: parseIpv4Address('200.1.2.3')!, prefixLength: 16 };
    expect(inSubnet(parseIpv4Address('200.1.255.255')!, network)).toBe(true);
    expect(inSubnet(parseIpv4Address('200.2.0.0')!, network)).toBe(false);
    expect(inSubnet(0, { address: 0xffffffff, prefixLength: 0 })).toBe(true);
  });
});
