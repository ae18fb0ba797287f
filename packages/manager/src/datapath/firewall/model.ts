import type { ChainName, Cidr, IfnamePattern, IpAddress, MarkMask, OwnerId, Port, Uid } from './values';

export type Family = 'ipv4' | 'ipv6';
/** The families a declared rule exists in. */
export type FamilyScope = Family | 'both';
export const FAMILIES: readonly Family[] = ['ipv4', 'ipv6'];

export type Table = 'filter' | 'nat' | 'mangle';
export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

/** The built-in hooks of each table; the daemon owns one top-level chain `pp_<HOOK>` per entry. */
export const TABLE_HOOKS: Readonly<Record<Table, readonly Hook[]>> = {
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/**
 * Commit order of the tables of one family. Marks and translations land before the filter rules that let
 * traffic through, so a transaction that stops half-way has not opened anything; removal runs the other way.
 */
export const APPLY_TABLE_ORDER: readonly Table[] = ['mangle', 'nat', 'filter'];
export const REMOVE_TABLE_ORDER: readonly Table[] = ['filter', 'nat', 'mangle'];

export function isHook(name: string): name is Hook {
  return (
    name === 'PREROUTING' ||
    name === 'INPUT' ||
    name === 'FORWARD' ||
    name === 'OUTPUT' ||
    name === 'POSTROUTING'
  );
}

export function scopeIncludes(scope: FamilyScope, family: Family): boolean {
  return scope === 'both' || scope === family;
}

export type Protocol = 'tcp' | 'udp';
export type CtState = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';

export type Match =
  | { readonly kind: 'in' | 'out'; readonly ifname: IfnamePattern; readonly invert: boolean }
  | { readonly kind: 'source' | 'destination'; readonly cidr: Cidr; readonly invert: boolean }
  | { readonly kind: 'protocol'; readonly protocol: Protocol; readonly destinationPort: Port | undefined }
  | { readonly kind: 'mark'; readonly mark: MarkMask; readonly invert: boolean }
  | { readonly kind: 'conntrack'; readonly states: readonly CtState[] }
  | { readonly kind: 'owner'; readonly uid: Uid; readonly invert: boolean }
  | { readonly kind: 'socket'; readonly nowildcard: boolean };

export type Verdict = 'accept' | 'drop' | 'reject' | 'return';

export type Target =
  | { readonly kind: Verdict | 'masquerade' }
  | { readonly kind: 'snat'; readonly to: IpAddress }
  | { readonly kind: 'dnat'; readonly to: IpAddress; readonly port: Port | undefined }
  /** MARK: clear the mask's bits of the packet mark, then set `value`. */
  | { readonly kind: 'set-mark'; readonly mark: MarkMask }
  /** CONNMARK: copy the masked connection mark to the packet mark (restore) or back (save). */
  | { readonly kind: 'restore-mark' | 'save-mark'; readonly mask: number }
  | { readonly kind: 'set-connmark'; readonly mark: MarkMask }
  | { readonly kind: 'jump'; readonly chain: ChainName };

export interface Rule {
  readonly matches: readonly Match[];
  readonly target: Target;
}

/** Every rule the daemon writes carries `-m comment --comment pp:<owner>`. */
export type RuleTag = OwnerId;
