import { isIPv4, isIPv6 } from 'node:net';
import { FirewallRuleError } from './errors';
import { type Family, isHook } from './model';

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Who declared a rule set: `base`, `ns3`, `port12`, … (lowercase letter, then letters and digits, ≤ 13). */
export type OwnerId = Brand<string, 'OwnerId'>;
/** An exact interface name. */
export type Ifname = Brand<string, 'Ifname'>;
/** An exact interface name, or a prefix followed by `+` (every interface starting with it). */
export type IfnamePattern = Ifname | Brand<string, 'IfnamePrefix'>;
/** A TCP/UDP port, 1..65535. */
export type Port = Brand<number, 'Port'>;
export type Uid = Brand<number, 'Uid'>;
/** A chain of ours: `pp_<HOOK>` or `pp_<owner>_<chain>`, at most 28 characters. */
export type ChainName = Brand<string, 'ChainName'>;

/** A 32-bit mark and the bits it speaks for; `value` has no bit outside `mask`. */
export interface MarkMask {
  readonly value: number;
  readonly mask: number;
}

export interface IpAddress {
  readonly family: Family;
  readonly address: string;
}

export interface Cidr extends IpAddress {
  readonly prefixLength: number;
}

const OWNER_PATTERN = /^[a-z][a-z0-9]{0,12}$/;
/** Letters, digits, '_', '-' and '.'; '_' is allowed because the daemon's own veths are named `arc_ns<N>`. */
const IFNAME_PATTERN = /^[A-Za-z0-9_.-]+$/;
const MAX_IFNAME_LENGTH = 15;
const U32_MAX = 0xffffffff;

function reject(what: string, value: unknown): never {
  throw new FirewallRuleError(`${what}: ${JSON.stringify(value)} is not valid`);
}

export function ownerId(text: string): OwnerId {
  if (typeof text !== 'string' || !OWNER_PATTERN.test(text)) reject('owner id', text);
  return text as OwnerId;
}

function checkIfname(text: string, maxLength: number): void {
  const valid =
    typeof text === 'string' &&
    text.length > 0 &&
    text.length <= maxLength &&
    IFNAME_PATTERN.test(text) &&
    !/^[-.]|[-.]$/.test(text);
  if (!valid) reject('interface name', text);
}

export function ifname(text: string): Ifname {
  checkIfname(text, MAX_IFNAME_LENGTH);
  return text as Ifname;
}

/** `eth0` is that interface; `eth+` is every interface whose name starts with `eth`. */
export function ifnamePattern(text: string): IfnamePattern {
  if (typeof text === 'string' && text.endsWith('+')) {
    checkIfname(text.slice(0, -1), MAX_IFNAME_LENGTH - 1);
    return text as IfnamePattern;
  }
  return ifname(text);
}

export function port(value: number): Port {
  if (!Number.isInteger(value) || value < 1 || value > 65535) reject('port', value);
  return value as Port;
}

export function uid(value: number): Uid {
  if (!Number.isInteger(value) || value < 0 || value >= U32_MAX) reject('uid', value);
  return value as Uid;
}

export function u32(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > U32_MAX) reject('32-bit value', value);
  return value;
}

export function markMask(value: number, mask: number = U32_MAX): MarkMask {
  u32(value);
  u32(mask);
  if ((value & ~mask) >>> 0 !== 0) reject('mark (bits outside its mask)', `${value}/${mask}`);
  return { value, mask };
}

export function ipAddress(text: string): IpAddress {
  if (typeof text === 'string' && isIPv4(text) && /^\d+(\.\d+){3}$/.test(text)) {
    return { family: 'ipv4', address: text };
  }
  if (typeof text === 'string' && isIPv6(text) && !text.includes('%'))
    return { family: 'ipv6', address: text };
  return reject('IP address', text);
}

function ipv4Value(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

/** `a.b.c.d/len` or `v6/len` (a bare address means the host); an IPv4 network has no host bits set. */
export function cidr(text: string): Cidr {
  if (typeof text !== 'string') return reject('CIDR', text);
  const [address = '', length, ...rest] = text.split('/');
  const ip = ipAddress(address);
  const max = ip.family === 'ipv4' ? 32 : 128;
  const prefixLength = length === undefined ? max : Number(length);
  if (rest.length > 0 || !/^\d{1,3}$/.test(length ?? String(max)) || prefixLength > max) reject('CIDR', text);
  if (ip.family === 'ipv4' && prefixLength < 32 && ipv4Value(ip.address) % 2 ** (32 - prefixLength) !== 0) {
    reject('CIDR (host bits set)', text);
  }
  return { ...ip, prefixLength };
}

const CHAIN_PREFIX = 'pp_';
const MAX_CHAIN_LENGTH = 28;
const LOCAL_CHAIN_PATTERN = /^[a-z][a-z0-9_]*$/;

/** Whether a chain name found in the kernel is one of ours. */
export function isOurChain(name: string): name is ChainName {
  return name.startsWith(CHAIN_PREFIX);
}

function chainName(text: string): ChainName {
  if (text.length > MAX_CHAIN_LENGTH) reject(`chain name (more than ${MAX_CHAIN_LENGTH} characters)`, text);
  return text as ChainName;
}

/** The daemon's top-level chain for a hook, jumped to once from the built-in chain: `pp_FORWARD`. */
export function topChain(hook: string): ChainName {
  return chainName(`${CHAIN_PREFIX}${hook}`);
}

/** An owner's chain: `pp_ns3_FORWARD` for a hook, `pp_base_vpn_mark` for a chain of its own. */
export function ownerChain(owner: OwnerId, chain: string): ChainName {
  if (!isHook(chain) && !LOCAL_CHAIN_PATTERN.test(chain)) reject('chain', chain);
  return chainName(`${CHAIN_PREFIX}${ownerId(owner)}_${chain}`);
}

/** Whether a chain (ours or not) belongs to the owner; owner ids have no '_', so `ns1` never claims `ns10`. */
export function isOwnersChain(owner: OwnerId, name: string): boolean {
  return name.startsWith(`${CHAIN_PREFIX}${owner}_`);
}
