import { type Hook, TABLE_HOOKS, type Table } from '../model';
import { topChain } from '../values';
import { DISPATCH_MAPS, type DispatchMap, dispatchMapName } from './dispatch';
import { nftChainName, TABLE_REF } from './names';

/** What each dispatch map is keyed by, and the expression its base chain looks it up with. */
const MAP_SPEC: Readonly<Record<DispatchMap, { type: string; lookup: string }>> = {
  iif: { type: 'type ifname : verdict;', lookup: 'iifname' },
  oif: { type: 'type ifname : verdict;', lookup: 'oifname' },
  saddr4: { type: 'type ipv4_addr : verdict; flags interval;', lookup: 'ip saddr' },
  saddr6: { type: 'type ipv6_addr : verdict; flags interval;', lookup: 'ip6 saddr' },
};

/**
 * The priorities of iptables' tables. nft 1.0.6 knows `dstnat` only for prerouting and `srcnat` only for
 * postrouting, so nat output and input take the same values as numbers (NF_IP_PRI_NAT_DST / _SRC).
 */
function priority(table: Table, hook: Hook): string {
  if (table === 'filter') return 'filter';
  if (table === 'mangle') return 'mangle';
  if (hook === 'PREROUTING') return 'dstnat';
  if (hook === 'POSTROUTING') return 'srcnat';
  return hook === 'OUTPUT' ? '-100' : '100';
}

/** mangle OUTPUT is a `route` chain: a changed mark re-routes the packet, as in iptables. */
function chainType(table: Table, hook: Hook): string {
  if (table === 'nat') return 'nat';
  return table === 'mangle' && hook === 'OUTPUT' ? 'route' : 'filter';
}

/** The base chain of a table's hook, `pp_<table>_<HOOK>`: where the owners' hook chains are jumped to from. */
export function baseChainName(table: Table, hook: Hook): string {
  return nftChainName(table, topChain(hook));
}

/**
 * The table made afresh (the add-delete-add removes every earlier rule of ours in one step, whether the table
 * existed), then its base chains, one per hook of each table (model.ts TABLE_HOOKS), each looking up its
 * dispatch maps in DISPATCH_MAPS order (the owners' jump rules go before those lookups with position `first`,
 * after them with `last`). In two parts, so that owners' chains can be made between them (renderTable).
 */
export function renderBaseTable(): [reset: string[], structure: string[]] {
  const chains = Object.entries(TABLE_HOOKS).flatMap(([name, hooks]) => {
    const table = name as Table;
    return hooks.flatMap((hook) => {
      const base = baseChainName(table, hook);
      const spec = `type ${chainType(table, hook)} hook ${hook.toLowerCase()} priority ${priority(table, hook)};`;
      return [
        `add chain ${TABLE_REF} ${base} { ${spec} policy accept; }`,
        ...DISPATCH_MAPS.flatMap((map) => {
          const name = dispatchMapName(table, hook, map);
          return [
            `add map ${TABLE_REF} ${name} { ${MAP_SPEC[map].type} }`,
            `add rule ${TABLE_REF} ${base} ${MAP_SPEC[map].lookup} vmap @${name}`,
          ];
        }),
      ];
    });
  });
  return [[`add table ${TABLE_REF}`, `delete table ${TABLE_REF}`, `add table ${TABLE_REF}`], chains];
}
