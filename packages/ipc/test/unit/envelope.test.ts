import { Writer } from 'protobufjs/minimal';
import {
  DecodeError,
  decodeEnvelope,
  type Envelope,
  encodeEnvelope,
  GuestEvent,
  GuestType,
  InvalidMessageError,
} from '../../src';
import { expected, fullEnvelopes, minimalEnvelopes, summary } from './fixtures';

function roundTrip(envelope: Envelope) {
  const received = decodeEnvelope(encodeEnvelope(envelope));
  if (received === undefined) {
    throw new Error('no case decoded');
  }
  return received;
}

describe('envelope round trip', () => {
  test.each(fullEnvelopes.map((e) => [Object.keys(e)[0], e]))(
    '%s with every field set',
    (_kind, envelope) => {
      expect(summary(roundTrip(envelope))).toEqual(expected(envelope));
    },
  );

  test.each(minimalEnvelopes.map((e) => [Object.keys(e)[0], e]))(
    '%s with required fields only',
    (_kind, envelope) => {
      expect(summary(roundTrip(envelope))).toEqual(expected(envelope));
    },
  );

  test('absent optional fields read as null, not as a zero value', () => {
    const received = roundTrip({ guestMessage: { type: GuestType.ARC_VM, event: GuestEvent.START } });
    expect(received.kind).toBe('guestMessage');
    if (received.kind === 'guestMessage') {
      expect(received.message.arcPid).toBeNull();
      expect(received.message.arcvmVsockCid).toBeNull();
    }
  });

  test('the original field numbers are on the wire', () => {
    // Envelope field 1 (guest_message, length-delimited), then type=1 (tag 0x08), event=2 (0x10), arc_pid=3 (0x18).
    const bytes = encodeEnvelope({
      guestMessage: { type: GuestType.ARC, event: GuestEvent.START, arcPid: 7 },
    });
    expect([...bytes]).toEqual([0x0a, 6, 0x08, 1, 0x10, 1, 0x18, 7]);
    // The new cases take new numbers: helper_ready_message is field 4, state_replay_message field 5.
    expect(encodeEnvelope({ helperReadyMessage: { helper: 3, pid: 1, protocolVersion: 1 } })[0]).toBe(
      (4 << 3) | 2,
    );
    expect(encodeEnvelope({ stateReplayMessage: { phase: 1 } })[0]).toBe((5 << 3) | 2);
  });
});

describe('encodeEnvelope refuses what does not verify', () => {
  const invalid: [string, unknown][] = [
    ['no case', {}],
    ['two cases', { guestMessage: { type: 1, event: 1 }, deviceMessage: { devIfname: 'eth0' } }],
    ['a required field missing', { deviceMessage: { brIfname: 'arc_eth0' } }],
    ['an unknown enum value', { guestMessage: { type: 99, event: 1 } }],
    ['a wrong field type', { ndproxyMessage: { type: 1, ifname: 5 } }],
    ['a non-integer pid', { helperReadyMessage: { helper: 1, pid: 1.5, protocolVersion: 1 } }],
  ];
  test.each(invalid)('%s', (_what, envelope) => {
    const attempt = () => encodeEnvelope(envelope as Envelope);
    expect(attempt).toThrow(InvalidMessageError);
    try {
      attempt();
    } catch (error) {
      expect((error as InvalidMessageError).code).toBe('PP_ERR_IPC_INVALID_MESSAGE');
    }
  });
});

describe('decodeEnvelope', () => {
  test('a missing required field is a DecodeError with the protobufjs error as cause', () => {
    const device = Writer.create().uint32(0x12).string('arc_eth0').finish(); // br_ifname only
    const bytes = Writer.create().uint32(0x12).bytes(device).finish();
    expect(() => decodeEnvelope(bytes)).toThrow(DecodeError);
    try {
      decodeEnvelope(bytes);
    } catch (error) {
      expect((error as DecodeError).code).toBe('PP_ERR_IPC_DECODE');
      expect((error as DecodeError).cause).toBeInstanceOf(Error);
    }
  });

  test('malformed protobuf is a DecodeError', () => {
    expect(() => decodeEnvelope(Uint8Array.of(0x0a, 50, 1, 2))).toThrow(DecodeError);
    expect(() => decodeEnvelope(Uint8Array.of(0x0f))).toThrow(DecodeError);
  });

  test('an empty envelope has no case', () => {
    expect(decodeEnvelope(new Uint8Array(0))).toBeUndefined();
  });

  test('a case added by a newer peer decodes as no case', () => {
    const bytes = Writer.create()
      .uint32((9 << 3) | 2)
      .bytes(Uint8Array.of(8, 1))
      .finish();
    expect(decodeEnvelope(bytes)).toBeUndefined();
  });

  test('unknown fields inside a known message are skipped', () => {
    // A later DeviceMessage has force_local_next_hop = 4; an older receiver must still read the rest.
    const device = Writer.create().uint32(0x0a).string('rmnet0').uint32(0x12).string('arc_rmnet0');
    device.uint32((4 << 3) | 0).bool(true);
    device.uint32((12 << 3) | 5).fixed32(0xdeadbeef);
    const inner = device.finish();
    const envelope = Writer.create()
      .uint32(0x12)
      .bytes(inner)
      .uint32((15 << 3) | 0)
      .uint32(3)
      .finish();
    expect(summary(decodeEnvelope(envelope)!)).toEqual({
      kind: 'deviceMessage',
      fields: { devIfname: 'rmnet0', brIfname: 'arc_rmnet0' },
    });
  });
});
