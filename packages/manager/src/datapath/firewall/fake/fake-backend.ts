import type { FirewallBackend } from '../backend';
import { FirewallCommitError } from '../errors';
import { renderRuleSpec } from '../iptables/restore-script';
import { findOwned, jumpTarget, parseSave } from '../iptables/save-parser';
import { FAMILIES, type Family, TABLE_HOOKS, type Table } from '../model';
import type { FamilyTransaction, FirewallOp, FoundTable, TableBatch } from '../transaction';

interface FakeChain {
  readonly builtin: boolean;
  rules: string[];
}

type FakeTable = Map<string, FakeChain>;

const TABLES: readonly Table[] = ['filter', 'nat', 'mangle'];

function emptyTable(table: Table): FakeTable {
  return new Map(TABLE_HOOKS[table].map((hook) => [hook, { builtin: true, rules: [] }]));
}

function cloneTable(table: FakeTable): FakeTable {
  return new Map(
    [...table].map(([name, chain]) => [name, { builtin: chain.builtin, rules: [...chain.rules] }]),
  );
}

class OpError extends Error {}

/** Applies one op the way the kernel would, refusing what it would refuse. */
function applyOp(table: FakeTable, op: FirewallOp): void {
  const chainOf = (name: string): FakeChain => {
    const chain = table.get(name);
    if (chain === undefined) throw new OpError(`no chain ${name}`);
    return chain;
  };
  const checkTarget = (spec: string): void => {
    const target = jumpTarget(spec);
    if (target?.startsWith('pp_') && !table.has(target)) {
      throw new OpError(`no chain/target ${target}`);
    }
  };
  switch (op.op) {
    case 'declare': {
      const existing = table.get(op.chain);
      if (existing?.builtin) throw new OpError(`${op.chain} is built in`);
      table.set(op.chain, { builtin: false, rules: [] });
      return;
    }
    case 'append':
    case 'insert': {
      const spec = renderRuleSpec(op.rule, op.tag);
      checkTarget(spec);
      const chain = chainOf(op.chain);
      if (op.op === 'append') chain.rules.push(spec);
      else chain.rules.unshift(spec);
      return;
    }
    case 'delete':
    case 'delete-found': {
      const spec = op.op === 'delete-found' ? op.handle.text : renderRuleSpec(op.rule, op.tag);
      const chain = chainOf(op.chain);
      const at = chain.rules.indexOf(spec);
      if (at < 0) throw new OpError(`no such rule in ${op.chain}: ${spec}`);
      chain.rules.splice(at, 1);
      return;
    }
    case 'flush':
      chainOf(op.chain).rules = [];
      return;
    case 'remove': {
      const chain = chainOf(op.chain);
      if (chain.builtin || chain.rules.length > 0) throw new OpError(`${op.chain} is built in or not empty`);
      const referenced = [...table.values()].some((c) => c.rules.some((r) => jumpTarget(r) === op.chain));
      if (referenced) throw new OpError(`${op.chain} is still referenced`);
      table.delete(op.chain);
    }
  }
}

function renderTable(name: Table, table: FakeTable): string[] {
  const builtins = [...table].filter(([, c]) => c.builtin);
  const users = [...table].filter(([, c]) => !c.builtin).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const ordered = [...builtins, ...users];
  return [
    `*${name}`,
    ...ordered.map(([chainName, c]) => `:${chainName} ${c.builtin ? 'ACCEPT' : '-'} [0:0]`),
    ...ordered.flatMap(([chainName, c]) => c.rules.map((spec) => `-A ${chainName} ${spec}`)),
    'COMMIT',
  ];
}

/**
 * An in-memory kernel for unit tests: it applies transactions with the kernel's refusals (missing chain,
 * missing rule, busy chain), commits each table batch atomically, records every transaction, and prints
 * `iptables-save`-like dumps. `failNext` makes the next commit touching a family and table fail there.
 */
export class FakeFirewallBackend implements FirewallBackend {
  readonly name = 'fake';
  readonly transactions: FamilyTransaction[] = [];
  private readonly state = new Map<Family, Map<Table, FakeTable>>(
    FAMILIES.map((family) => [family, new Map(TABLES.map((t) => [t, emptyTable(t)]))]),
  );
  private readonly failures: { family: Family; table: Table }[] = [];

  failNext(family: Family, table: Table): void {
    this.failures.push({ family, table });
  }

  async commit(transaction: FamilyTransaction): Promise<void> {
    this.transactions.push(transaction);
    const tables = this.state.get(transaction.family)!;
    for (const batch of transaction.batches) {
      tables.set(batch.table, this.applyBatch(transaction.family, tables.get(batch.table)!, batch));
    }
  }

  private applyBatch(family: Family, current: FakeTable, batch: TableBatch): FakeTable {
    const failure = this.failures.findIndex((f) => f.family === family && f.table === batch.table);
    if (failure >= 0) {
      this.failures.splice(failure, 1);
      throw new FirewallCommitError(family, `${batch.table}: injected failure`);
    }
    const next = cloneTable(current);
    for (const op of batch.ops) {
      try {
        applyOp(next, op);
      } catch (err) {
        if (!(err instanceof OpError)) throw err;
        throw new FirewallCommitError(family, `${batch.table}: ${err.message}`, { cause: err });
      }
    }
    return next;
  }

  async dump(family: Family): Promise<string> {
    const tables = this.state.get(family)!;
    return `${TABLES.flatMap((t) => renderTable(t, tables.get(t)!)).join('\n')}\n`;
  }

  async inspect(family: Family): Promise<readonly FoundTable[]> {
    return findOwned(parseSave(await this.dump(family)));
  }
}

export function createFakeBackend(): FakeFirewallBackend {
  return new FakeFirewallBackend();
}
