/** Byte fixtures for the mDNS rewrite tests, built the way responders write messages (names compressed). */

import type { Question, SrvAnswer, StringAnswer, TxtAnswer } from 'dns-packet';

export const GUEST = [100, 115, 92, 194];
export const UPSTREAM = [192, 168, 1, 23];
export const OTHER_HOST = [100, 115, 92, 195];

export const TYPE = { A: 1, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, NSEC: 47 } as const;
export const CLASS_IN = 0x0001;
/** mDNS cache-flush bit on the class of a unique record (RFC 6762 §10.2). */
export const CACHE_FLUSH = 0x8000;
export const FLAGS_RESPONSE_AA = 0x8400;
export const FLAGS_QUERY = 0x0000;

export interface HeaderSpec {
  readonly flags: number;
  readonly questions?: number;
  readonly answers?: number;
  readonly authorities?: number;
  readonly additionals?: number;
}

const POINTER = 0xc000;
const MAX_POINTER_TARGET = 0x3fff;

/** A DNS message writer that compresses each name against every suffix written before it. */
export class MessageWriter {
  private readonly bytes: number[] = [];
  private readonly suffixes = new Map<string, number>();
  /** Offsets of the RDATA of every A record written, in order. */
  readonly aRdata: number[] = [];

  constructor(header: HeaderSpec) {
    this.u16(0)
      .u16(header.flags)
      .u16(header.questions ?? 0)
      .u16(header.answers ?? 0);
    this.u16(header.authorities ?? 0).u16(header.additionals ?? 0);
  }

  get offset(): number {
    return this.bytes.length;
  }

  u16(value: number): this {
    this.bytes.push((value >> 8) & 0xff, value & 0xff);
    return this;
  }

  u32(value: number): this {
    return this.u16(Math.floor(value / 0x10000)).u16(value & 0xffff);
  }

  raw(bytes: readonly number[]): this {
    this.bytes.push(...bytes);
    return this;
  }

  text(value: string): this {
    return this.raw([...Buffer.from(value, 'latin1')]);
  }

  name(dotted: string): this {
    const labels = dotted.split('.');
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      const known = this.suffixes.get(suffix);
      if (known !== undefined) return this.u16(POINTER | known);
      if (this.offset <= MAX_POINTER_TARGET) this.suffixes.set(suffix, this.offset);
      const label = Buffer.from(labels[i]!, 'utf8');
      this.raw([label.length, ...label]);
    }
    return this.raw([0]);
  }

  question(name: string, type: number, klass = CLASS_IN): this {
    return this.name(name).u16(type).u16(klass);
  }

  /** A resource record; `rdata` writes the RDATA and RDLENGTH is filled in afterwards. */
  record(name: string, type: number, klass: number, ttl: number, rdata: (w: this) => void): this {
    this.name(name).u16(type).u16(klass).u32(ttl);
    const lengthAt = this.offset;
    this.u16(0);
    if (type === TYPE.A) this.aRdata.push(this.offset);
    rdata(this);
    const length = this.offset - lengthAt - 2;
    this.bytes[lengthAt] = length >> 8;
    this.bytes[lengthAt + 1] = length & 0xff;
    return this;
  }

  a(name: string, address: readonly number[], klass = CLASS_IN | CACHE_FLUSH): this {
    return this.record(name, TYPE.A, klass, 120, (w) => w.raw(address));
  }

  build(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export const SERVICE = '_http._tcp.local';
export const INSTANCE = `Penguin Web.${SERVICE}`;
export const HOST = 'penguin.local';
export const HOST_LINK_LOCAL = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x16, 0x3e, 0xff, 0xfe, 0x12, 0x34, 0x56];

/**
 * The answer an avahi daemon in a container gives to `_http._tcp.local PTR?`: the PTR in the answer section,
 * then SRV, TXT, A, AAAA and two NSEC in the additional section, every repeated name compressed, the unique
 * records with the cache-flush bit. The TXT carries the guest address bytes too: only the A RDATA may change.
 */
export function avahiHttpResponse(address: readonly number[] = GUEST): MessageWriter {
  const unique = CLASS_IN | CACHE_FLUSH;
  return new MessageWriter({ flags: FLAGS_RESPONSE_AA, answers: 1, additionals: 6 })
    .record(SERVICE, TYPE.PTR, CLASS_IN, 4500, (w) => w.name(INSTANCE))
    .record(INSTANCE, TYPE.SRV, unique, 120, (w) => w.u16(0).u16(0).u16(8080).name(HOST))
    .record(INSTANCE, TYPE.TXT, unique, 4500, (w) =>
      w.raw([6]).text('path=/').raw([7]).text('ip=').raw(GUEST),
    )
    .a(HOST, address)
    .record(HOST, TYPE.AAAA, unique, 120, (w) => w.raw(HOST_LINK_LOCAL))
    .record(HOST, TYPE.NSEC, unique, 120, (w) => w.name(HOST).raw([0x00, 0x04, 0x40, 0x00, 0x00, 0x08]))
    .record(INSTANCE, TYPE.NSEC, unique, 4500, (w) =>
      w.name(INSTANCE).raw([0x00, 0x05, 0, 0, 0x80, 0, 0x40]),
    );
}

/** A view that throws on any index read outside the array, to prove the parser never reads past the end. */
export function guarded(bytes: Uint8Array): Uint8Array {
  return new Proxy(bytes, {
    get(target, key) {
      if (typeof key === 'string' && /^\d+$/.test(key) && Number(key) >= target.length) {
        throw new Error(`read at ${key} past the end (${target.length})`);
      }
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Offsets where `a` and `b` (same length) differ. */
export function changedOffsets(a: Uint8Array, b: Uint8Array): number[] {
  const changed: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) changed.push(i);
  return changed;
}

/** `start`, `start + 1`, … `start + count - 1`. */
export function range(start: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start + i);
}

/** The record shapes the generated responses use: the dns-packet types of A, AAAA, PTR, SRV and TXT. */
export type MdnsAnswer = StringAnswer | SrvAnswer | TxtAnswer;

export interface MdnsResponse {
  readonly id: number;
  readonly flags: number;
  readonly questions: readonly Question[];
  readonly answers: readonly MdnsAnswer[];
  readonly authorities: readonly MdnsAnswer[];
  readonly additionals: readonly MdnsAnswer[];
}

const TYPE_CODES: Readonly<Record<string, number>> = { ...TYPE, ANY: 255 };

function typeCode(type: string): number {
  const code = TYPE_CODES[type];
  if (code === undefined) throw new Error(`no type code for ${type} in the fixtures`);
  return code;
}

function ipv6Bytes(text: string): number[] {
  return text.split(':').flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

function writeRdata(w: MessageWriter, answer: MdnsAnswer): void {
  switch (answer.type) {
    case 'A':
      w.raw(answer.data.split('.').map(Number));
      return;
    case 'AAAA':
      w.raw(ipv6Bytes(answer.data));
      return;
    case 'SRV':
      w.u16(answer.data.priority ?? 0)
        .u16(answer.data.weight ?? 0)
        .u16(answer.data.port)
        .name(answer.data.target);
      return;
    case 'TXT':
      for (const item of [answer.data].flat()) w.raw([Buffer.byteLength(item), ...Buffer.from(item)]);
      return;
    default:
      w.name(answer.data);
  }
}

/** Encodes `response` with name compression, as a responder would; dns-packet itself never compresses. */
export function encodeCompressed(response: MdnsResponse): Uint8Array {
  const records = [...response.answers, ...response.authorities, ...response.additionals];
  const w = new MessageWriter({
    flags: response.flags,
    questions: response.questions.length,
    answers: response.answers.length,
    authorities: response.authorities.length,
    additionals: response.additionals.length,
  });
  for (const q of response.questions) w.question(q.name, typeCode(q.type));
  for (const r of records) {
    const klass = CLASS_IN | (r.flush ? CACHE_FLUSH : 0);
    w.record(r.name, typeCode(r.type), klass, r.ttl ?? 0, (rdata) => writeRdata(rdata, r));
  }
  return w.build();
}
