import type { Hook, Match, Table } from '../model';
import type { OwnedRule, RuleSet } from '../rule-set';
import { ownerChain } from '../values';
import { nftChainName } from './names';
import { type ElementKey, elementKeyText } from './ops';

/**
 * How a base chain reaches an owner's hook chain. Keyed: each part of the chain is an element of a verdict
 * map the base chain looks up by the packet's input interface, output interface or source network, so
 * installing and removing an owner touch map elements by key — nothing to search for and no handle to learn.
 * Otherwise a jump rule, removed by the handle it got.
 */
export type Dispatch =
  | { readonly kind: 'keyed'; readonly parts: readonly KeyedPart[] }
  | { readonly kind: 'jump'; readonly chain: string; readonly rules: readonly OwnedRule[] };

/** A dispatch map of a base chain, in the order the base chain looks them up. */
export type DispatchMap = 'iif' | 'oif' | 'saddr4' | 'saddr6';
export const DISPATCH_MAPS: readonly DispatchMap[] = ['iif', 'oif', 'saddr4', 'saddr6'];

/** One part of a keyed hook chain: its own chain, and its element in one of the base chain's maps. */
export interface KeyedPart {
  readonly map: DispatchMap;
  readonly key: ElementKey;
  readonly chain: string;
  readonly rules: readonly OwnedRule[];
}

/** `pp_<table>_<HOOK>_<map>`: the map a base chain dispatches by. */
export function dispatchMapName(table: Table, hook: Hook, map: DispatchMap): string {
  return `pp_${table}_${hook}_${map}`;
}

type Key = { readonly map: DispatchMap; readonly key: ElementKey };

/**
 * The interface the owner's rules name most: a guest's own veth or TAP. Only it keys interface maps, so two
 * guests pinned to the same physical device never want the same element.
 */
function ownInterface(set: RuleSet): string | undefined {
  const counts = new Map<string, number>();
  for (const { rule } of set.rules) {
    for (const match of rule.matches) {
      if (match.kind === 'in' || match.kind === 'out')
        counts.set(match.ifname, (counts.get(match.ifname) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** The maps and keys a rule could be dispatched by: the owner's own interface in or out, its source network. */
function keysOf(matches: readonly Match[], own: string | undefined): Key[] {
  return matches.flatMap((match): Key[] => {
    if ((match.kind === 'in' || match.kind === 'out') && !match.invert && match.ifname === own) {
      return [{ map: match.kind === 'in' ? 'iif' : 'oif', key: { kind: 'ifname', name: match.ifname } }];
    }
    if (match.kind === 'source' && !match.invert) {
      return [
        {
          map: match.cidr.family === 'ipv4' ? 'saddr4' : 'saddr6',
          key: { kind: 'network', cidr: match.cidr },
        },
      ];
    }
    return [];
  });
}

/**
 * The dispatch of the owner's chain for one hook. Keyed when the owner comes `last` (a guest: its keys, its
 * veth and its subnet, are its own, while `first` owners — port rules, the base — share keys like `eth0` and
 * must stay ahead of the guests) and its rules split into runs, each sharing one key, on maps in the order
 * the base chain looks them up (so the owner's rule order is kept for any packet: a rule still checks all its
 * matches inside its part); otherwise a jump.
 */
export function dispatchOf(set: RuleSet, table: Table, hook: Hook): Dispatch {
  const rules = set.rules.filter((r) => r.table === table && r.chain === hook);
  const chain = nftChainName(table, ownerChain(set.owner, hook));
  if (set.position !== 'last') return { kind: 'jump', chain, rules };
  const own = ownInterface(set);
  if (own?.endsWith('+')) return { kind: 'jump', chain, rules };
  // Greedy: a rule joins the current part when it has its key, else opens a part on a later map.
  const parts: { map: DispatchMap; key: ElementKey; chain: string; rules: OwnedRule[] }[] = [];
  const sameKey = (a: ElementKey, b: ElementKey) => elementKeyText(a) === elementKeyText(b);
  for (const rule of rules) {
    const keys = keysOf(rule.rule.matches, own);
    const last = parts[parts.length - 1];
    if (last !== undefined && keys.some((k) => k.map === last.map && sameKey(k.key, last.key))) {
      last.rules.push(rule);
      continue;
    }
    const after = last === undefined ? -1 : DISPATCH_MAPS.indexOf(last.map);
    const next = keys
      .filter((k) => DISPATCH_MAPS.indexOf(k.map) > after)
      .sort((a, b) => DISPATCH_MAPS.indexOf(a.map) - DISPATCH_MAPS.indexOf(b.map))[0];
    if (next === undefined) return { kind: 'jump', chain, rules };
    parts.push({ ...next, chain: `${chain}_${next.map}`, rules: [rule] });
  }
  return parts.length > 0 ? { kind: 'keyed', parts } : { kind: 'jump', chain, rules };
}
