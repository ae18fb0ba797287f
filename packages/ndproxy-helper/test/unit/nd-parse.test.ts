import { type NdRejectReason, NdType, parseNdFrame } from '../../src/nd';
import {
  ALL_NODES,
  body,
  buildFrame,
  type FrameSpec,
  GUEST_MAC,
  ipv6,
  option,
  ROUTER_LL,
  ROUTER_MAC,
} from './nd-frames';

const target = ipv6('2001:db8:1::42');
const validNs: FrameSpec = {
  type: NdType.NeighborSolicitation,
  body: body.ns(target),
  options: [option.slla(GUEST_MAC)],
  dst: ipv6('ff02::1:ff00:42'),
};

function reasonOf(frame: Uint8Array): NdRejectReason | 'accepted' {
  const result = parseNdFrame(frame);
  return result.ok ? 'accepted' : result.reason;
}

describe('parseNdFrame accepts', () => {
  test('an NS, exposing its addresses, target and options as views', () => {
    const bytes = buildFrame(validNs);
    const result = parseNdFrame(bytes);
    if (!result.ok) throw new Error(`rejected: ${result.reason}`);
    const { frame } = result;
    expect(frame.type).toBe(NdType.NeighborSolicitation);
    expect([...frame.target!]).toEqual(target);
    expect([...frame.destination]).toEqual(ipv6('ff02::1:ff00:42'));
    expect([...frame.ethSource]).toEqual(GUEST_MAC);
    expect(frame.icmpLength).toBe(32);
    expect(frame.options).toEqual([{ type: 1, offset: 78, length: 8 }]);
    expect(frame.target!.buffer).toBe(bytes.buffer);
  });

  test.each([
    ['RS', { type: NdType.RouterSolicitation, body: body.rs() }],
    ['RA', { type: NdType.RouterAdvertisement, body: body.ra(), src: ROUTER_LL, dst: ALL_NODES }],
    ['NA', { type: NdType.NeighborAdvertisement, body: body.na(target), options: [option.tlla(ROUTER_MAC)] }],
  ] as const)('an %s, without a target for RS and RA', (_name, spec) => {
    const result = parseNdFrame(buildFrame(spec));
    expect(result.ok && result.frame.type).toBe(spec.type);
    expect(result.ok && result.frame.target !== undefined).toBe(spec.type === NdType.NeighborAdvertisement);
  });
});

describe('parseNdFrame rejects, never throws', () => {
  const rejections: [string, Uint8Array, NdRejectReason][] = [
    ['an empty frame', new Uint8Array(0), 'frame-too-short'],
    ['a frame cut inside the ICMPv6 header', buildFrame(validNs).subarray(0, 57), 'frame-too-short'],
    ['an ARP ethertype', buildFrame({ ...validNs, ethertype: 0x0806 }), 'not-ipv6'],
    ['an IPv4 version nibble', buildFrame({ ...validNs, versionByte: 0x40 }), 'bad-ip-version'],
    ['a hop-by-hop extension header', buildFrame({ ...validNs, nextHeader: 0 }), 'extension-header'],
    ['a fragment header', buildFrame({ ...validNs, nextHeader: 44 }), 'extension-header'],
    ['TCP', buildFrame({ ...validNs, nextHeader: 6 }), 'not-icmpv6'],
    [
      'a payload length past the frame',
      buildFrame({ ...validNs, payloadLengthDelta: 1 }),
      'payload-length-exceeds-frame',
    ],
    [
      'a payload length short of the frame',
      buildFrame({ ...validNs, payloadLengthDelta: -8 }),
      'payload-length-short-of-frame',
    ],
    ['hop limit 254 (routed from off-link)', buildFrame({ ...validNs, hopLimit: 254 }), 'hop-limit-not-255'],
    ['code 1', buildFrame({ ...validNs, code: 1 }), 'bad-code'],
    ['a bad checksum', buildFrame({ ...validNs, corruptChecksum: true }), 'bad-checksum'],
    [
      'an option of length 0',
      buildFrame({ ...validNs, options: [[1, 0, 0, 0, 0, 0, 0, 0]] }),
      'zero-length-option',
    ],
    [
      'an option past the end',
      buildFrame({ ...validNs, options: [[1, 2, ...GUEST_MAC]] }),
      'option-past-end',
    ],
    ['a lone option type byte', buildFrame({ ...validNs, options: [[1]] }), 'option-past-end'],
    ['a Redirect', buildFrame({ type: 137, body: [0, 0, 0, 0, ...target, ...target] }), 'redirect'],
    ['an echo request', buildFrame({ type: 128, body: [0, 1, 0, 1] }), 'not-nd'],
    [
      'an NS without its target',
      buildFrame({ type: NdType.NeighborSolicitation, body: [0, 0, 0, 0] }),
      'message-too-short',
    ],
    [
      'an RA cut after 8 bytes',
      buildFrame({ type: NdType.RouterAdvertisement, body: [64, 0, 7, 8] }),
      'message-too-short',
    ],
    ['an RS of 4 bytes', buildFrame({ type: NdType.RouterSolicitation, body: [] }), 'message-too-short'],
  ];

  test.each(rejections)('%s', (_name, frame, reason) => {
    expect(reasonOf(frame)).toBe(reason);
  });

  test('the untouched frame the rejections derive from is accepted', () => {
    expect(reasonOf(buildFrame(validNs))).toBe('accepted');
  });

  test('a frame in a larger buffer (non-zero byteOffset) parses the same', () => {
    const inner = buildFrame(validNs);
    const outer = new Uint8Array(inner.length + 3);
    outer.set(inner, 3);
    const result = parseNdFrame(outer.subarray(3));
    expect(result.ok && [...result.frame.target!]).toEqual(target);
  });
});
