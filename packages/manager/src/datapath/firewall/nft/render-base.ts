import { type Hook, TABLE_HOOKS, type Table } from '../model';
import { topChain } from '../values';
import { nftChainName, TABLE_REF } from './names';

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
 * Creates the table afresh and its base chains, one per hook of each table (model.ts TABLE_HOOKS). As one
 * transaction, the add-delete-add removes every earlier rule of ours in one step, whether the table existed.
 */
export function renderBaseTable(): string[] {
  const chains = Object.entries(TABLE_HOOKS).flatMap(([name, hooks]) => {
    const table = name as Table;
    return hooks.map((hook) => {
      const spec = `type ${chainType(table, hook)} hook ${hook.toLowerCase()} priority ${priority(table, hook)};`;
      return `add chain ${TABLE_REF} ${baseChainName(table, hook)} { ${spec} policy accept; }`;
    });
  });
  return [`add table ${TABLE_REF}`, `delete table ${TABLE_REF}`, `add table ${TABLE_REF}`, ...chains];
}
