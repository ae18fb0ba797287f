import { type BroadcastPacket, egressDecision, parseBroadcastPacket } from '../../src/broadcast';
import { buildPacket, ip, ipNumber, type PacketSpec } from './broadcast-packets';

/** The guest bridge 100.115.92.5/30: guests are .6, its directed broadcast .7. */
const bridge = { address: ipNumber('100.115.92.5'), prefixLength: 30 };
const GUEST = ip('100.115.92.6');

function guestPacket(spec: PacketSpec): { bytes: Uint8Array; packet: BroadcastPacket } {
  const bytes = buildPacket({ source: GUEST, ...spec });
  const result = parseBroadcastPacket(bytes, { directedBroadcast: ipNumber('100.115.92.7') });
  if (!result.ok) throw new Error(`rejected: ${result.reason}`);
  return { bytes, packet: result.packet };
}

describe('egressDecision', () => {
  test('sends a guest limited broadcast as its payload, keeping both ports', () => {
    const { bytes, packet } = guestPacket({ sourcePort: 40001, destinationPort: 15600, payload: [1, 2, 3] });
    const decision = egressDecision(packet, bridge);
    if (!decision.send) throw new Error(`dropped: ${decision.reason}`);
    expect(decision).toMatchObject({ sourcePort: 40001, destinationPort: 15600, destination: 'limited' });
    expect([...decision.payload]).toEqual([1, 2, 3]);
    expect(decision.payload.buffer).toBe(bytes.buffer);
  });

  test("maps a guest directed broadcast to the LAN's directed broadcast", () => {
    const { packet } = guestPacket({ destination: ip('100.115.92.7') });
    expect(egressDecision(packet, bridge)).toMatchObject({ send: true, destination: 'lan-directed' });
  });

  test('sends only the UDP payload of a packet with IP options', () => {
    const { packet } = guestPacket({ options: [0x94, 0x04, 0, 0], payload: [9, 8] });
    const decision = egressDecision(packet, bridge);
    expect(decision.send && [...decision.payload]).toEqual([9, 8]);
  });

  test("drops the host's own broadcast from the bridge address", () => {
    const { packet } = guestPacket({ source: ip('100.115.92.5') });
    expect(egressDecision(packet, bridge)).toEqual({ send: false, reason: 'own-address' });
  });

  test.each([
    ['a LAN source (our own injected ingress copy)', '192.168.1.20'],
    ['the neighbouring /30', '100.115.92.9'],
    ['the address just below the subnet', '100.115.92.3'],
    ['0.0.0.0', '0.0.0.0'],
  ])('drops %s as outside the guest subnet', (_name, source) => {
    const { packet } = guestPacket({ source: ip(source) });
    expect(egressDecision(packet, bridge)).toEqual({ send: false, reason: 'outside-guest-subnet' });
  });

  test('accepts every source of a wider guest subnet', () => {
    const wide = { address: ipNumber('10.0.0.1'), prefixLength: 8 };
    const { packet } = guestPacket({ source: ip('10.255.3.4') });
    expect(egressDecision(packet, wide).send).toBe(true);
  });
});
