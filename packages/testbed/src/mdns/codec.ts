import { formatIpv6 } from '../addressing';
import { DnsMalformedError, InvalidArgumentError } from '../errors';

/** Record types the bed names; others decode as OTHER. */
export const DNS_TYPES = {
  A: 1,
  CNAME: 5,
  PTR: 12,
  HINFO: 13,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NSEC: 47,
  ANY: 255,
} as const;
export type DnsTypeName = keyof typeof DNS_TYPES;

export interface DnsQuestion {
  readonly name: string;
  readonly type: number;
  /** The mDNS QU bit (top bit of the class). */
  readonly unicastResponse: boolean;
}

export type DnsRecordData =
  | { readonly kind: 'A' | 'AAAA'; readonly address: string }
  | { readonly kind: 'PTR' | 'CNAME'; readonly target: string }
  | {
      readonly kind: 'SRV';
      readonly priority: number;
      readonly weight: number;
      readonly port: number;
      readonly target: string;
    }
  | { readonly kind: 'TXT'; readonly entries: readonly string[] }
  | { readonly kind: 'OTHER'; readonly rdataHex: string };

export interface DnsRecord {
  readonly name: string;
  readonly type: number;
  readonly classCode: number;
  /** The mDNS cache-flush bit (top bit of the class). */
  readonly cacheFlush: boolean;
  readonly ttl: number;
  readonly data: DnsRecordData;
}

export interface DnsMessage {
  readonly id: number;
  readonly flags: number;
  readonly questions: readonly DnsQuestion[];
  readonly answers: readonly DnsRecord[];
  readonly authorities: readonly DnsRecord[];
  readonly additionals: readonly DnsRecord[];
}

const CLASS_IN = 1;
const TOP_BIT = 0x8000;
const MAX_POINTER_JUMPS = 64;

function encodeName(name: string): Uint8Array[] {
  const labels = name.split('.').filter((label, i, all) => label !== '' || i !== all.length - 1);
  const parts = labels.map((label) => {
    const bytes = Buffer.from(label, 'utf8');
    if (bytes.length < 1 || bytes.length > 63) throw new InvalidArgumentError(`bad DNS label in ${name}`);
    return Buffer.concat([Buffer.from([bytes.length]), bytes]);
  });
  parts.push(Buffer.from([0]));
  if (parts.reduce((n, p) => n + p.length, 0) > 255)
    throw new InvalidArgumentError(`DNS name too long: ${name}`);
  return parts;
}

/** A query message with one question per entry (no compression). */
export function encodeQuery(id: number, questions: readonly DnsQuestion[]): Uint8Array {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id & 0xffff, 0);
  header.writeUInt16BE(questions.length, 4);
  const body = questions.flatMap((q) => {
    const tail = Buffer.alloc(4);
    tail.writeUInt16BE(q.type, 0);
    tail.writeUInt16BE(CLASS_IN | (q.unicastResponse ? TOP_BIT : 0), 2);
    return [...encodeName(q.name), tail];
  });
  return new Uint8Array(Buffer.concat([header, ...body]));
}

class Reader {
  offset = 12;
  constructor(readonly bytes: Uint8Array) {}

  need(count: number, at: number = this.offset): void {
    if (at + count > this.bytes.length) throw new DnsMalformedError(`truncated at byte ${at}`);
  }

  u8(at: number): number {
    this.need(1, at);
    return this.bytes[at] as number;
  }

  u16(at: number = this.offset): number {
    return (this.u8(at) << 8) | this.u8(at + 1);
  }

  take(count: number): Uint8Array {
    this.need(count);
    const view = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return view;
  }

  /** Reads a possibly compressed name at `start`; returns it and the offset after it. */
  name(start: number = this.offset): { name: string; end: number } {
    const labels: string[] = [];
    let at = start;
    let end: number | undefined;
    for (let jumps = 0; ; ) {
      const length = this.u8(at);
      if ((length & 0xc0) === 0xc0) {
        if (++jumps > MAX_POINTER_JUMPS) throw new DnsMalformedError('name pointer loop');
        end ??= at + 2;
        at = ((length & 0x3f) << 8) | this.u8(at + 1);
      } else if (length & 0xc0) {
        throw new DnsMalformedError(`reserved label type at byte ${at}`);
      } else if (length === 0) {
        return { name: labels.join('.'), end: end ?? at + 1 };
      } else {
        this.need(length, at + 1);
        labels.push(Buffer.from(this.bytes.subarray(at + 1, at + 1 + length)).toString('utf8'));
        at += 1 + length;
      }
    }
  }

  readName(): string {
    const { name, end } = this.name();
    this.offset = end;
    return name;
  }
}

function decodeData(reader: Reader, type: number, start: number, length: number): DnsRecordData {
  const rdata = reader.bytes.subarray(start, start + length);
  switch (type) {
    case DNS_TYPES.A:
      if (length === 4) return { kind: 'A', address: Array.from(rdata).join('.') };
      break;
    case DNS_TYPES.AAAA:
      if (length === 16) return { kind: 'AAAA', address: formatIpv6(rdata) };
      break;
    case DNS_TYPES.PTR:
    case DNS_TYPES.CNAME:
      return { kind: type === DNS_TYPES.PTR ? 'PTR' : 'CNAME', target: reader.name(start).name };
    case DNS_TYPES.SRV:
      if (length >= 7) {
        const [priority, weight, port] = [reader.u16(start), reader.u16(start + 2), reader.u16(start + 4)];
        return { kind: 'SRV', priority, weight, port, target: reader.name(start + 6).name };
      }
      break;
    case DNS_TYPES.TXT:
      return { kind: 'TXT', entries: decodeTxt(rdata) };
  }
  return { kind: 'OTHER', rdataHex: Buffer.from(rdata).toString('hex') };
}

function decodeTxt(rdata: Uint8Array): string[] {
  const entries: string[] = [];
  for (let at = 0; at < rdata.length; ) {
    const length = rdata[at] as number;
    if (at + 1 + length > rdata.length) throw new DnsMalformedError('TXT entry overruns its record');
    if (length > 0) entries.push(Buffer.from(rdata.subarray(at + 1, at + 1 + length)).toString('utf8'));
    at += 1 + length;
  }
  return entries;
}

function readRecord(reader: Reader): DnsRecord {
  const name = reader.readName();
  const head = reader.take(10);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const [type, klass, ttl, length] = [
    view.getUint16(0),
    view.getUint16(2),
    view.getUint32(4),
    view.getUint16(8),
  ];
  const start = reader.offset;
  reader.take(length);
  const data = decodeData(reader, type, start, length);
  return { name, type, classCode: klass & ~TOP_BIT, cacheFlush: (klass & TOP_BIT) !== 0, ttl, data };
}

/** Decodes a whole DNS/mDNS message; throws DnsMalformedError on anything that does not parse. */
export function decodeMessage(bytes: Uint8Array): DnsMessage {
  const reader = new Reader(bytes);
  reader.need(12, 0);
  const count = (i: number): number => reader.u16(4 + 2 * i);
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < count(0); i++) {
    const name = reader.readName();
    const [type, klass] = [reader.u16(), reader.u16(reader.offset + 2)];
    reader.take(4);
    questions.push({ name, type, unicastResponse: (klass & TOP_BIT) !== 0 });
  }
  const records = (n: number): DnsRecord[] => Array.from({ length: n }, () => readRecord(reader));
  return {
    id: reader.u16(0),
    flags: reader.u16(2),
    questions,
    answers: records(count(1)),
    authorities: records(count(2)),
    additionals: records(count(3)),
  };
}
