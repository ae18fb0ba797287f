import {
  APPLY_TABLE_ORDER,
  type Family,
  type Hook,
  REMOVE_TABLE_ORDER,
  type Rule,
  TABLE_HOOKS,
  type Table,
} from './model';
import { chainsIn, type OwnedChain, type RuleSet, rulesIn } from './rule-set';
import type { FamilyTransaction, FirewallOp, FoundTable, TableBatch } from './transaction';
import { type ChainName, isOurChain, type OwnerId, ownerChain, topChain } from './values';

/**
 * Pure planning: rule sets in, typed transactions out. Each function covers one family; the firewall runs
 * the families one after the other.
 */

function jumpRule(chain: ChainName): Rule {
  return { matches: [], target: { kind: 'jump', chain } };
}

function transaction(
  family: Family,
  order: readonly Table[],
  opsOf: (table: Table) => FirewallOp[],
): FamilyTransaction {
  const batches: TableBatch[] = order.map((table) => ({ table, ops: opsOf(table) }));
  return { family, batches: batches.filter((b) => b.ops.length > 0) };
}

function hookJump(set: RuleSet, chain: OwnedChain, op: 'add' | 'delete'): FirewallOp {
  const top = topChain(chain.hook as Hook);
  const rule = jumpRule(chain.name);
  if (op === 'delete') return { op: 'delete', chain: top, rule, tag: set.owner };
  return { op: set.position === 'first' ? 'insert' : 'append', chain: top, rule, tag: set.owner };
}

/** Declare (create or empty) and fill the chains, then hook them; all in one batch per table. */
function fillOps(set: RuleSet, family: Family, table: Table, chains: readonly OwnedChain[]): FirewallOp[] {
  const declares: FirewallOp[] = chains.map((c) => ({ op: 'declare', chain: c.name }));
  const rules: FirewallOp[] = rulesIn(set, family, table).map((r) => ({
    op: 'append',
    chain: ownerChain(set.owner, r.chain),
    rule: r.rule,
    tag: set.owner,
  }));
  return [...declares, ...rules];
}

function dropOps(chains: readonly OwnedChain[]): FirewallOp[] {
  return [
    ...chains.map((c): FirewallOp => ({ op: 'flush', chain: c.name })),
    ...chains.map((c): FirewallOp => ({ op: 'remove', chain: c.name })),
  ];
}

export function planInstall(set: RuleSet, family: Family): FamilyTransaction {
  return transaction(family, APPLY_TABLE_ORDER, (table) => {
    const chains = chainsIn(set, family, table);
    const jumps = chains.filter((c) => c.hook !== undefined).map((c) => hookJump(set, c, 'add'));
    return [...fillOps(set, family, table, chains), ...jumps];
  });
}

/**
 * From `previous` to `next` of the same owner: chains of both are emptied and refilled in place (their jumps
 * stay where they are unless the position changed), chains only in `previous` are unhooked and deleted.
 */
export function planReplace(previous: RuleSet, next: RuleSet, family: Family): FamilyTransaction {
  const moved = previous.position !== next.position;
  return transaction(family, APPLY_TABLE_ORDER, (table) => {
    const before = chainsIn(previous, family, table);
    const after = chainsIn(next, family, table);
    const had = new Set(before.map((c) => c.name));
    const keeps = new Set(after.map((c) => c.name));
    const hooked = (c: OwnedChain) => c.hook !== undefined;
    const added = after.filter((c) => hooked(c) && (moved || !had.has(c.name)));
    const unhooked = before.filter((c) => hooked(c) && (moved || !keeps.has(c.name)));
    const dropped = before.filter((c) => !keeps.has(c.name));
    return [
      ...fillOps(next, family, table, after),
      ...unhooked.map((c) => hookJump(previous, c, 'delete')),
      ...added.map((c) => hookJump(next, c, 'add')),
      ...dropOps(dropped),
    ];
  });
}

/** Unhook, flush and delete the owner's chains: no rule-by-rule deletes. */
export function planRemove(set: RuleSet, family: Family): FamilyTransaction {
  return transaction(family, REMOVE_TABLE_ORDER, (table) => {
    const chains = chainsIn(set, family, table);
    const jumps = chains.filter((c) => c.hook !== undefined).map((c) => hookJump(set, c, 'delete'));
    return [...jumps, ...dropOps(chains)];
  });
}

/**
 * Removes what was found rather than what was declared: every chain `selects`, and every jump into those
 * chains from a chain it does not select. Used at start, at stop, for an owner whose spec is unknown, and
 * to roll back or finish a removal that failed half-way.
 */
export function planRemoveFound(
  family: Family,
  found: readonly FoundTable[],
  selects: (chain: string) => boolean,
): FamilyTransaction {
  return transaction(family, REMOVE_TABLE_ORDER, (table) => {
    const here = found.find((t) => t.table === table);
    if (here === undefined) return [];
    const chains = here.chains.filter(selects);
    const jumps = here.jumps.filter((j) => selects(j.to) && !selects(j.from));
    return [
      ...jumps.map((j): FirewallOp => ({ op: 'delete-found', chain: j.from, handle: j.handle })),
      ...chains.map((chain): FirewallOp => ({ op: 'flush', chain })),
      ...chains.map((chain): FirewallOp => ({ op: 'remove', chain })),
    ];
  });
}

/**
 * Start-up in one transaction per family: delete every `pp_` chain and every jump to one, then create the
 * top-level chains `pp_<HOOK>` and jump to each once, first, from its built-in chain.
 */
export function planReset(family: Family, found: readonly FoundTable[], tag: OwnerId): FamilyTransaction {
  const cleanup = planRemoveFound(family, found, isOurChain);
  return transaction(family, APPLY_TABLE_ORDER, (table) => {
    const hooks = TABLE_HOOKS[table];
    const stale = cleanup.batches.find((b) => b.table === table)?.ops ?? [];
    return [
      ...stale,
      ...hooks.map((hook): FirewallOp => ({ op: 'declare', chain: topChain(hook) })),
      ...hooks.map(
        (hook): FirewallOp => ({ op: 'insert', chain: hook, rule: jumpRule(topChain(hook)), tag }),
      ),
    ];
  });
}

/** Clean stop: everything of ours goes. */
export function planTeardown(family: Family, found: readonly FoundTable[]): FamilyTransaction {
  return planRemoveFound(family, found, isOurChain);
}
