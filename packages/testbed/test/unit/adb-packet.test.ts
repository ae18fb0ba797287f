import fc from 'fast-check';
import {
  A_CNXN,
  A_VERSION_MIN,
  A_VERSION_SKIP_CHECKSUM,
  byteSum,
  cnxnReply,
  dataCheckValid,
  decodePacket,
  encodePacket,
  FAKE_DEVICE_BANNER,
} from '../../src/adb/packet';
import { parseAdbDevices } from '../../src/services/adb';

const banner = Buffer.from('host::features=shell_v2');

describe('ADB packets', () => {
  test("a CNXN header: 'CNXN', version, max payload, length, byte sum, magic, all little-endian", () => {
    const packet = encodePacket(A_CNXN, A_VERSION_MIN, 4096, Buffer.from('ab'), A_VERSION_MIN);
    expect(packet.subarray(0, 24).toString('hex')).toBe(
      ['434e584e', '00000001', '00100000', '02000000', 'c3000000', 'bcb1a7b1'].join(''),
    );
    expect(packet.subarray(24).toString()).toBe('ab');
  });

  test('from A_VERSION_SKIP_CHECKSUM on the data check is 0', () => {
    const packet = encodePacket(A_CNXN, A_VERSION_SKIP_CHECKSUM, 4096, banner, A_VERSION_SKIP_CHECKSUM);
    expect(packet.readUInt32LE(16)).toBe(0);
  });

  test('any packet decodes to what was encoded, taking exactly its bytes', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.uint8Array({ maxLength: 300 }), fc.boolean()),
        ([command, arg0, arg1, payload, skip]) => {
          const version = skip ? A_VERSION_SKIP_CHECKSUM : A_VERSION_MIN;
          const bytes = Buffer.concat([
            encodePacket(command, arg0, arg1, Buffer.from(payload), version),
            banner,
          ]);
          const result = decodePacket(bytes);
          expect(result).toMatchObject({ kind: 'packet', bytes: 24 + payload.length });
          if (result.kind !== 'packet') return;
          expect(result.packet).toMatchObject({ command, arg0, arg1, payload: Buffer.from(payload) });
        },
      ),
    );
  });

  test('short input is incomplete; a bad magic or an oversized payload is invalid', () => {
    const packet = encodePacket(A_CNXN, A_VERSION_MIN, 4096, banner, A_VERSION_MIN);
    expect(decodePacket(packet.subarray(0, 23))).toEqual({ kind: 'incomplete' });
    expect(decodePacket(packet.subarray(0, packet.length - 1))).toEqual({ kind: 'incomplete' });
    const badMagic = Buffer.from(packet);
    badMagic.writeUInt32LE(0, 20);
    expect(decodePacket(badMagic)).toEqual({ kind: 'invalid', reason: 'bad magic' });
    expect(decodePacket(packet, banner.length - 1)).toMatchObject({ kind: 'invalid' });
  });

  test('a data check is right as the byte sum, or as 0 from a peer that skips it', () => {
    const decode = (buffer: Buffer) => {
      const result = decodePacket(buffer);
      if (result.kind !== 'packet') throw new Error(result.kind);
      return result.packet;
    };
    expect(dataCheckValid(decode(encodePacket(A_CNXN, A_VERSION_MIN, 1, banner, A_VERSION_MIN)))).toBe(true);
    const skipped = encodePacket(A_CNXN, A_VERSION_SKIP_CHECKSUM, 1, banner, A_VERSION_SKIP_CHECKSUM);
    expect(dataCheckValid(decode(skipped))).toBe(true);
    // An old peer must send the sum.
    expect(
      dataCheckValid(decode(encodePacket(A_CNXN, A_VERSION_MIN, 1, banner, A_VERSION_SKIP_CHECKSUM))),
    ).toBe(false);
    expect(byteSum(Buffer.from([0xff, 0xff, 2]))).toBe(0x200);
  });

  test.each([
    [A_VERSION_SKIP_CHECKSUM, 0],
    [A_VERSION_MIN, byteSum(Buffer.from(FAKE_DEVICE_BANNER))],
  ])(
    "the device's CNXN to a host of version %s: its own version, the smaller payload, data check %s",
    (version, check) => {
      const host = { command: A_CNXN, arg0: version, arg1: 4 * 1024 * 1024, dataCheck: 0, payload: banner };
      const reply = decodePacket(cnxnReply(host));
      expect(reply).toMatchObject({
        kind: 'packet',
        packet: { command: A_CNXN, arg0: A_VERSION_SKIP_CHECKSUM, arg1: 1024 * 1024, dataCheck: check },
      });
      if (reply.kind === 'packet') expect(reply.packet.payload.toString()).toBe(FAKE_DEVICE_BANNER);
    },
  );
});

test('adb devices -l is parsed into serial, state and properties', () => {
  const stdout = [
    '* daemon not running; starting now at tcp:15037',
    '* daemon started successfully',
    'List of devices attached',
    '198.51.100.2:5555      device product:pp model:pp device:pp transport_id:1',
    'emulator-5554          offline transport_id:2',
    '',
  ].join('\n');
  expect(parseAdbDevices(stdout)).toEqual([
    {
      serial: '198.51.100.2:5555',
      state: 'device',
      properties: { product: 'pp', model: 'pp', device: 'pp', transport_id: '1' },
    },
    { serial: 'emulator-5554', state: 'offline', properties: { transport_id: '2' } },
  ]);
});
