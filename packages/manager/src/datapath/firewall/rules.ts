import { FirewallRuleError } from './errors';
import type { CtState, Match, Protocol, Target } from './model';
import { type ChainName, cidr, ifnamePattern, ipAddress, markMask, port, u32, uid } from './values';

/** Constructors of typed matches and targets; each validates its values and throws PP_ERR_FIREWALL_RULE. */

export interface Invertible {
  /** `!`: the match holds when the condition does not. */
  readonly invert?: boolean;
}

export function inInterface(name: string, options: Invertible = {}): Match {
  return { kind: 'in', ifname: ifnamePattern(name), invert: options.invert ?? false };
}

export function outInterface(name: string, options: Invertible = {}): Match {
  return { kind: 'out', ifname: ifnamePattern(name), invert: options.invert ?? false };
}

export function source(network: string, options: Invertible = {}): Match {
  return { kind: 'source', cidr: cidr(network), invert: options.invert ?? false };
}

export function destination(network: string, options: Invertible = {}): Match {
  return { kind: 'destination', cidr: cidr(network), invert: options.invert ?? false };
}

export function protocol(name: Protocol, destinationPort?: number): Match {
  if (name !== 'tcp' && name !== 'udp')
    throw new FirewallRuleError(`protocol ${JSON.stringify(name)} is not valid`);
  const dport = destinationPort === undefined ? undefined : port(destinationPort);
  return { kind: 'protocol', protocol: name, destinationPort: dport };
}

export function markMatch(value: number, mask: number, options: Invertible = {}): Match {
  return { kind: 'mark', mark: markMask(value, mask), invert: options.invert ?? false };
}

export function conntrackState(...states: CtState[]): Match {
  return { kind: 'conntrack', states: [...new Set(states)] };
}

export function ownerUid(value: number, options: Invertible = {}): Match {
  return { kind: 'owner', uid: uid(value), invert: options.invert ?? false };
}

/** `-m socket --nowildcard`: a local socket (not bound to the wildcard address) owns the packet. */
export function localSocket(): Match {
  return { kind: 'socket', nowildcard: true };
}

export const ACCEPT: Target = { kind: 'accept' };
export const DROP: Target = { kind: 'drop' };
export const REJECT: Target = { kind: 'reject' };
export const RETURN: Target = { kind: 'return' };
export const MASQUERADE: Target = { kind: 'masquerade' };

export function snat(address: string): Target {
  return { kind: 'snat', to: ipAddress(address) };
}

export function dnat(address: string, toPort?: number): Target {
  return { kind: 'dnat', to: ipAddress(address), port: toPort === undefined ? undefined : port(toPort) };
}

export function setMark(value: number, mask: number): Target {
  return { kind: 'set-mark', mark: markMask(value, mask) };
}

export function restoreMark(mask: number): Target {
  return { kind: 'restore-mark', mask: u32(mask) };
}

export function saveMark(mask: number): Target {
  return { kind: 'save-mark', mask: u32(mask) };
}

export function setConnmark(value: number, mask: number): Target {
  return { kind: 'set-connmark', mark: markMask(value, mask) };
}

/** A jump to a chain of ours (`RuleSetBuilder.chain()` or `ownerChain()`); the firewall checks it exists. */
export function jump(chain: ChainName): Target {
  return { kind: 'jump', chain };
}
