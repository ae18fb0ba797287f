import { skipName } from './name';

export const DNS_HEADER_BYTES = 12;
export const IPV4_ADDRESS_BYTES = 4;

const FLAGS_HIGH = 2;
const FLAGS_LOW = 3;
const QR_BIT = 0x80;
const RCODE_MASK = 0x0f;
const QDCOUNT = 4;
const ANCOUNT = 6;
const NSCOUNT = 8;
const ARCOUNT = 10;
const QUESTION_FIXED_BYTES = 4; // QTYPE, QCLASS
const RECORD_FIXED_BYTES = 10; // TYPE, CLASS, TTL, RDLENGTH
const RECORD_RDLENGTH = 8; // from the end of the owner name
const TYPE_A = 1;

export interface DnsHeader {
  /** The QR bit. */
  readonly response: boolean;
  /** The 4-bit RCODE of the header (no EDNS extension). */
  readonly rcode: number;
  readonly questions: number;
  /** Answer, authority and additional records together: the walk reads them as one run. */
  readonly records: number;
}

export type DnsWalkFailure = 'malformed-question' | 'malformed-record';

export type ARecordScan =
  | { readonly ok: true; readonly addressOffsets: readonly number[] }
  | { readonly ok: false; readonly reason: DnsWalkFailure };

function u16(message: Uint8Array, offset: number): number {
  return (message[offset]! << 8) | message[offset + 1]!;
}

/** The header fields the walk needs, or undefined when the message is shorter than a header. */
export function readDnsHeader(message: Uint8Array): DnsHeader | undefined {
  if (message.length < DNS_HEADER_BYTES) return undefined;
  return {
    response: (message[FLAGS_HIGH]! & QR_BIT) !== 0,
    rcode: message[FLAGS_LOW]! & RCODE_MASK,
    questions: u16(message, QDCOUNT),
    records: u16(message, ANCOUNT) + u16(message, NSCOUNT) + u16(message, ARCOUNT),
  };
}

/** Offset just past the question at `offset`, or undefined when it is malformed or truncated. */
function questionEnd(message: Uint8Array, offset: number): number | undefined {
  const nameEnd = skipName(message, offset);
  if (nameEnd === undefined || nameEnd + QUESTION_FIXED_BYTES > message.length) return undefined;
  return nameEnd + QUESTION_FIXED_BYTES;
}

interface RecordBounds {
  readonly type: number;
  readonly rdata: number;
  readonly rdLength: number;
}

/** Type and RDATA bounds of the resource record at `offset`, or undefined when it does not fit the message. */
function readRecord(message: Uint8Array, offset: number): RecordBounds | undefined {
  const nameEnd = skipName(message, offset);
  if (nameEnd === undefined || nameEnd + RECORD_FIXED_BYTES > message.length) return undefined;
  const rdata = nameEnd + RECORD_FIXED_BYTES;
  const rdLength = u16(message, nameEnd + RECORD_RDLENGTH);
  if (rdata + rdLength > message.length) return undefined;
  return { type: u16(message, nameEnd), rdata, rdLength };
}

/**
 * Walks every counted question and resource record (answer, authority and additional sections) and returns the
 * offsets of the RDATA of the A records (type 1, RDLENGTH 4, any class), or the first structural failure.
 * Bytes after the last counted record are not looked at.
 */
export function findARecordAddresses(message: Uint8Array, header: DnsHeader): ARecordScan {
  let offset = DNS_HEADER_BYTES;
  for (let i = 0; i < header.questions; i++) {
    const end = questionEnd(message, offset);
    if (end === undefined) return { ok: false, reason: 'malformed-question' };
    offset = end;
  }
  const addressOffsets: number[] = [];
  for (let i = 0; i < header.records; i++) {
    const record = readRecord(message, offset);
    if (record === undefined) return { ok: false, reason: 'malformed-record' };
    if (record.type === TYPE_A && record.rdLength === IPV4_ADDRESS_BYTES) addressOffsets.push(record.rdata);
    offset = record.rdata + record.rdLength;
  }
  return { ok: true, addressOffsets };
}
