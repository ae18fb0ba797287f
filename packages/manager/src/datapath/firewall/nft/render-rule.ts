import { FirewallRuleError } from '../errors';
import type { FamilyScope, Match, Rule, Table, Target } from '../model';
import {
  type Cidr,
  cidr,
  type IpAddress,
  ifnamePattern,
  ipAddress,
  type OwnerId,
  port,
  u32,
  uid,
} from '../values';
import { nftChainName, ownerComment } from './names';

/**
 * Typed rules to nft rule text. The values were validated when the rules were built; the strings are checked
 * again here (through the same constructors) because a quote or a `;` in one would change the command.
 */

const hex = (value: number): string => `0x${u32(value).toString(16).padStart(8, '0')}`;
/** The bits a mark update keeps: the complement of its mask. */
const keep = (mask: number): string => hex(~u32(mask) >>> 0);
const is = (invert: boolean): string => (invert ? '!= ' : '');

/** `eth+` (every interface starting with `eth`) is `"eth*"` in nft. */
export function interfaceName(pattern: string): string {
  const checked = ifnamePattern(pattern);
  return `"${checked.endsWith('+') ? `${checked.slice(0, -1)}*` : checked}"`;
}

export function network(value: Cidr): string {
  const checked = cidr(`${value.address}/${value.prefixLength}`);
  const full = checked.family === 'ipv4' ? 32 : 128;
  return checked.prefixLength === full ? checked.address : `${checked.address}/${checked.prefixLength}`;
}

const addressFamily = (address: IpAddress): string => (address.family === 'ipv4' ? 'ip' : 'ip6');

function renderMatch(match: Match): string {
  switch (match.kind) {
    case 'in':
      return `iifname ${is(match.invert)}${interfaceName(match.ifname)}`;
    case 'out':
      return `oifname ${is(match.invert)}${interfaceName(match.ifname)}`;
    case 'source':
    case 'destination': {
      const field = match.kind === 'source' ? 'saddr' : 'daddr';
      return `${addressFamily(match.cidr)} ${field} ${is(match.invert)}${network(match.cidr)}`;
    }
    case 'protocol':
      if (match.protocol !== 'tcp' && match.protocol !== 'udp')
        throw new FirewallRuleError(`protocol ${JSON.stringify(match.protocol)} is not valid`);
      // `tcp dport` implies `meta l4proto tcp`; nft adds that dependency itself.
      return match.destinationPort === undefined
        ? `meta l4proto ${match.protocol}`
        : `${match.protocol} dport ${port(match.destinationPort)}`;
    case 'mark':
      return `meta mark & ${hex(match.mark.mask)} ${match.invert ? '!=' : '=='} ${hex(match.mark.value)}`;
    case 'conntrack':
      return `ct state ${ctStates(match.states)}`;
    case 'owner':
      return `meta skuid ${is(match.invert)}${uid(match.uid)}`;
    case 'socket':
      throw new FirewallRuleError('the socket match (-m socket --nowildcard) is not expressible in nftables');
  }
}

const CT_STATES: readonly string[] = ['NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED'];

function ctStates(states: readonly string[]): string {
  const known = states.map((state) => {
    if (!CT_STATES.includes(state)) throw new FirewallRuleError(`conntrack state ${JSON.stringify(state)}`);
    return state.toLowerCase();
  });
  if (known.length === 0) throw new FirewallRuleError('a conntrack match needs a state');
  // The states as one bitmask test (`established,related`), not an anonymous set to look the state up in.
  return known.join(',');
}

function translation(to: IpAddress, toPort: number | undefined): string {
  const checked = ipAddress(to.address);
  if (toPort === undefined) return checked.address;
  const host = checked.family === 'ipv6' ? `[${checked.address}]` : checked.address;
  return `${host}:${port(toPort)}`;
}

function renderTarget(table: Table, target: Target): string {
  switch (target.kind) {
    case 'accept':
    case 'drop':
    case 'reject':
    case 'return':
    case 'masquerade':
      return target.kind;
    case 'snat':
      return `snat ${addressFamily(target.to)} to ${translation(target.to, undefined)}`;
    case 'dnat':
      return `dnat ${addressFamily(target.to)} to ${translation(target.to, target.port)}`;
    case 'set-mark':
      return `meta mark set meta mark & ${keep(target.mark.mask)} | ${hex(target.mark.value)}`;
    // nft 1.0.6 cannot combine two registers: the packet (restore) or connection (save) mark bits outside
    // the mask are cleared, where CONNMARK keeps them.
    case 'restore-mark':
      return `meta mark set ct mark & ${hex(target.mask)}`;
    case 'save-mark':
      return `ct mark set meta mark & ${hex(target.mask)}`;
    case 'set-connmark':
      return `ct mark set ct mark & ${keep(target.mark.mask)} | ${hex(target.mark.value)}`;
    case 'jump':
      return `jump ${nftChainName(table, target.chain)}`;
  }
}

const NFPROTO: Readonly<Record<FamilyScope, string | undefined>> = {
  ipv4: 'meta nfproto ipv4',
  ipv6: 'meta nfproto ipv6',
  both: undefined,
};

/**
 * The body of one rule (everything after `add rule inet patchpanel <chain> `): the family, the matches in
 * their declared order, the verdict or statement, then `comment "pp:<owner>"` when `tag` is given.
 */
export function renderNftRule(
  table: Table,
  family: FamilyScope,
  rule: Rule,
  tag: OwnerId | undefined,
): string {
  if (!Object.hasOwn(NFPROTO, family))
    throw new FirewallRuleError(`family ${JSON.stringify(family)} is not valid`);
  const words = [
    NFPROTO[family],
    ...rule.matches.map(renderMatch),
    renderTarget(table, rule.target),
    tag === undefined ? undefined : ownerComment(tag),
  ];
  return words.filter((word) => word !== undefined).join(' ');
}
