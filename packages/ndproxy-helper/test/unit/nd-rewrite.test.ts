import {
  BROADCAST_MAC,
  egressDestinationMac,
  type NdFrame,
  NdType,
  parseNdFrame,
  rewriteNdFrame,
} from '../../src/nd';
import {
  ALL_NODES,
  ALL_ROUTERS,
  body,
  buildFrame,
  changedOffsets,
  EGRESS_MAC,
  type FrameSpec,
  GUEST_LL,
  GUEST_MAC,
  ipv6,
  mac,
  option,
  ROUTER_LL,
  ROUTER_MAC,
  range,
} from './nd-frames';

const ETH_SRC = range(6, 6);
const ETH_DST = range(0, 6);
const CHECKSUM = [56, 57];
const egressMac = Uint8Array.from(EGRESS_MAC);
const prefix = ipv6('2001:db8:1::');

function parsed(spec: FrameSpec): NdFrame {
  const result = parseNdFrame(buildFrame(spec));
  if (!result.ok) throw new Error(`fixture rejected: ${result.reason}`);
  return result.frame;
}

/** Rewrites for egress the way the proxy does, resolving the destination with `neighbour`. */
function proxied(frame: NdFrame, neighbour?: number[]): Uint8Array {
  const neighbourMac = neighbour === undefined ? undefined : Uint8Array.from(neighbour);
  return rewriteNdFrame(frame, {
    interfaceMac: egressMac,
    destinationMac: egressDestinationMac(frame, neighbourMac),
  });
}

describe('rewriteNdFrame byte vectors', () => {
  test('RS: Ethernet source, SLLA and checksum change; the multicast destination stays', () => {
    const spec: FrameSpec = {
      type: NdType.RouterSolicitation,
      body: body.rs(),
      options: [option.slla(GUEST_MAC)],
    };
    const input = parsed(spec);
    const output = proxied(input, ROUTER_MAC);
    expect(output).toEqual(buildFrame({ ...spec, ethSrc: EGRESS_MAC, options: [option.slla(EGRESS_MAC)] }));
    expect(changedOffsets(input.bytes, output)).toEqual([...ETH_SRC, ...CHECKSUM, ...range(64, 6)]);
  });

  const raOptions = [option.mtu(1500), option.pio(prefix, 64), option.slla(ROUTER_MAC)];
  test.each([
    ['MTU, PIO, SLLA', [0, 1, 2]],
    ['SLLA, PIO, MTU', [2, 1, 0]],
    ['PIO, SLLA, MTU', [1, 2, 0]],
  ])('RA with options %s: the P flag is set and only the SLLA option changes', (_order, order) => {
    const options = order.map((i) => raOptions[i]!);
    const spec: FrameSpec = {
      type: NdType.RouterAdvertisement,
      body: body.ra(),
      src: ROUTER_LL,
      dst: ALL_NODES,
    };
    const input = parsed({ ...spec, ethSrc: ROUTER_MAC, ethDst: mac('33:33:00:00:00:01'), options });
    const output = proxied(input);
    const expectedOptions = options.map((o) => (o === raOptions[2] ? option.slla(EGRESS_MAC) : o));
    const expected = buildFrame({
      ...spec,
      body: body.ra(0x04),
      ethSrc: EGRESS_MAC,
      ethDst: mac('33:33:00:00:00:01'),
      options: expectedOptions,
    });
    expect(output).toEqual(expected);
    const sllaAt = 70 + options.slice(0, order.indexOf(2)).reduce((bytes, o) => bytes + o.length, 0);
    expect(changedOffsets(input.bytes, output)).toEqual([
      ...ETH_SRC,
      ...CHECKSUM,
      59,
      ...range(sllaAt + 2, 6),
    ]);
  });

  test('RA whose P flag is already set (cascaded proxy) keeps it set', () => {
    const input = parsed({
      type: NdType.RouterAdvertisement,
      body: body.ra(0x04),
      src: ROUTER_LL,
      dst: ALL_NODES,
    });
    expect(proxied(input)[59]).toBe(0x04);
  });

  test('NS unicast to an unresolvable neighbour: destination becomes broadcast', () => {
    const spec: FrameSpec = {
      type: NdType.NeighborSolicitation,
      body: body.ns(ROUTER_LL),
      options: [option.slla(GUEST_MAC)],
      ethDst: ROUTER_MAC,
      dst: ROUTER_LL,
    };
    const input = parsed(spec);
    const output = proxied(input, undefined);
    const expected = buildFrame({
      ...spec,
      ethDst: [...BROADCAST_MAC],
      ethSrc: EGRESS_MAC,
      options: [option.slla(EGRESS_MAC)],
    });
    expect(output).toEqual(expected);
    expect(changedOffsets(input.bytes, output)).toEqual([
      ...ETH_DST,
      ...ETH_SRC,
      ...CHECKSUM,
      ...range(80, 6),
    ]);
  });

  test('NA without TLLA: only the Ethernet addresses change, the checksum is identical', () => {
    const input = parsed({
      type: NdType.NeighborAdvertisement,
      body: body.na(ipv6('2001:db8:1::42')),
      ethDst: ROUTER_MAC,
      dst: ROUTER_LL,
    });
    const neighbour = mac('a6:11:22:99:88:77');
    const output = proxied(input, neighbour);
    expect(changedOffsets(input.bytes, output)).toEqual([...ETH_DST, ...ETH_SRC]);
    expect([...output.subarray(0, 12)]).toEqual([...neighbour, ...EGRESS_MAC]);
  });

  test('NA with TLLA: the TLLA becomes the egress MAC, a stray SLLA is left alone', () => {
    const spec: FrameSpec = {
      type: NdType.NeighborAdvertisement,
      body: body.na(GUEST_LL),
      options: [option.slla(GUEST_MAC), option.tlla(GUEST_MAC)],
      dst: ALL_NODES,
      ethDst: mac('33:33:00:00:00:01'),
    };
    const output = proxied(parsed(spec));
    expect(output).toEqual(
      buildFrame({ ...spec, ethSrc: EGRESS_MAC, options: [option.slla(GUEST_MAC), option.tlla(EGRESS_MAC)] }),
    );
  });

  test('the input buffer is left untouched and the output is a new array of the same length', () => {
    const input = parsed({
      type: NdType.RouterSolicitation,
      body: body.rs(),
      options: [option.slla(GUEST_MAC)],
    });
    const before = input.bytes.slice();
    const output = proxied(input);
    expect(input.bytes).toEqual(before);
    expect(output.buffer).not.toBe(input.bytes.buffer);
    expect(output).toHaveLength(input.bytes.length);
  });
});

describe('egressDestinationMac', () => {
  const ns = (ethDst: number[]): NdFrame =>
    parsed({ type: NdType.NeighborSolicitation, body: body.ns(ROUTER_LL), ethDst, dst: ALL_ROUTERS });
  const known = Uint8Array.from(ROUTER_MAC);

  test('keeps a multicast destination even when a neighbour is known', () => {
    expect([...egressDestinationMac(ns(mac('33:33:ff:00:00:01')), known)]).toEqual(mac('33:33:ff:00:00:01'));
  });

  test('uses the resolved neighbour for a unicast destination', () => {
    expect(egressDestinationMac(ns(GUEST_MAC), known)).toBe(known);
  });

  test('replaces a broadcast destination (cascaded proxy) with the neighbour, or keeps broadcast', () => {
    expect(egressDestinationMac(ns([...BROADCAST_MAC]), known)).toBe(known);
    expect([...egressDestinationMac(ns([...BROADCAST_MAC]), undefined)]).toEqual([...BROADCAST_MAC]);
  });
});
