/**
 * The ADB transport packet (system/core/adb/protocol.txt): a 24-byte little-endian header of six uint32
 * (command, arg0, arg1, data length, data check, magic = command ^ 0xffffffff), then the payload.
 */
export const ADB_HEADER_BYTES = 24;
/** 'CNXN' as a little-endian uint32. */
export const A_CNXN = 0x4e584e43;
/** The first protocol version; a transport speaks it until the CNXN exchange. Its packets carry a byte sum. */
export const A_VERSION_MIN = 0x01000000;
/** From this version on the data check is 0 and nobody verifies it. */
export const A_VERSION_SKIP_CHECKSUM = 0x01000001;
/** The largest payload a device offers (adbd's MAX_PAYLOAD). */
export const ADB_MAX_PAYLOAD = 1024 * 1024;
/** What the fake device says about itself: `adb devices -l` shows product, model and device from it. */
export const FAKE_DEVICE_BANNER =
  'device::ro.product.name=pp;ro.product.model=pp;ro.product.device=pp;features=shell_v2';

export interface AdbPacket {
  readonly command: number;
  readonly arg0: number;
  readonly arg1: number;
  readonly dataCheck: number;
  readonly payload: Buffer;
}

/** The old data check: the sum of the payload's bytes, modulo 2^32. */
export function byteSum(payload: Uint8Array): number {
  let sum = 0;
  for (const byte of payload) sum = (sum + byte) >>> 0;
  return sum;
}

/** A packet with its magic; the data check is the byte sum below A_VERSION_SKIP_CHECKSUM, else 0. */
export function encodePacket(
  command: number,
  arg0: number,
  arg1: number,
  payload: Buffer,
  version: number,
): Buffer {
  const header = Buffer.alloc(ADB_HEADER_BYTES);
  header.writeUInt32LE(command, 0);
  header.writeUInt32LE(arg0 >>> 0, 4);
  header.writeUInt32LE(arg1 >>> 0, 8);
  header.writeUInt32LE(payload.length, 12);
  header.writeUInt32LE(version >= A_VERSION_SKIP_CHECKSUM ? 0 : byteSum(payload), 16);
  header.writeUInt32LE((command ^ 0xffffffff) >>> 0, 20);
  return Buffer.concat([header, payload]);
}

export type DecodeResult =
  | { readonly kind: 'packet'; readonly packet: AdbPacket; readonly bytes: number }
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'invalid'; readonly reason: string };

/** The first packet in `buffer`; `bytes` is how much of the buffer it took. */
export function decodePacket(buffer: Buffer, maxPayload = ADB_MAX_PAYLOAD): DecodeResult {
  if (buffer.length < ADB_HEADER_BYTES) return { kind: 'incomplete' };
  const command = buffer.readUInt32LE(0);
  const length = buffer.readUInt32LE(12);
  if (buffer.readUInt32LE(20) !== (command ^ 0xffffffff) >>> 0)
    return { kind: 'invalid', reason: 'bad magic' };
  if (length > maxPayload) return { kind: 'invalid', reason: `payload of ${length} bytes` };
  if (buffer.length < ADB_HEADER_BYTES + length) return { kind: 'incomplete' };
  const packet = {
    command,
    arg0: buffer.readUInt32LE(4),
    arg1: buffer.readUInt32LE(8),
    dataCheck: buffer.readUInt32LE(16),
    payload: buffer.subarray(ADB_HEADER_BYTES, ADB_HEADER_BYTES + length),
  };
  return { kind: 'packet', packet, bytes: ADB_HEADER_BYTES + length };
}

/** A data check is right when it is the byte sum, or 0 from a peer that skips it. */
export function dataCheckValid(packet: AdbPacket): boolean {
  return (
    packet.dataCheck === byteSum(packet.payload) ||
    (packet.dataCheck === 0 && packet.arg0 >= A_VERSION_SKIP_CHECKSUM)
  );
}

/**
 * The device's answer to a host's CNXN, as adbd gives it with authentication off: its own version, the lower
 * of both payload sizes, and the banner; the data check follows the version both now speak (the lower one).
 */
export function cnxnReply(host: AdbPacket, banner = FAKE_DEVICE_BANNER): Buffer {
  const spoken = Math.min(host.arg0, A_VERSION_SKIP_CHECKSUM);
  const maxPayload = Math.min(host.arg1, ADB_MAX_PAYLOAD);
  return encodePacket(A_CNXN, A_VERSION_SKIP_CHECKSUM, maxPayload, Buffer.from(banner), spoken);
}
