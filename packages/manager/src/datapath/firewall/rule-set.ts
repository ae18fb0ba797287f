import { FirewallRuleError } from './errors';
import {
  FAMILIES,
  type Family,
  type FamilyScope,
  type Hook,
  isHook,
  type Match,
  type Rule,
  scopeIncludes,
  TABLE_HOOKS,
  type Table,
  type Target,
} from './model';
import { validateRule } from './rule-validation';
import { type ChainName, isOwnersChain, type OwnerId, ownerChain, ownerId } from './values';

/** Where an owner's jumps sit in the top-level chains: before the jumps already there, or after them. */
export type JumpPosition = 'first' | 'last';

/** A hook (the owner's chain `pp_<owner>_<HOOK>`, jumped to from `pp_<HOOK>`) or a chain of its own. */
export type ChainId = Hook | string;

export interface OwnedRule {
  readonly family: FamilyScope;
  readonly table: Table;
  readonly chain: ChainId;
  readonly rule: Rule;
}

/** Everything one owner declares. Immutable; `key` is equal for equal rule sets. */
export interface RuleSet {
  readonly owner: OwnerId;
  readonly position: JumpPosition;
  readonly rules: readonly OwnedRule[];
  readonly key: string;
}

/** One of an owner's chains in one family and table. */
export interface OwnedChain {
  readonly id: ChainId;
  readonly name: ChainName;
  readonly hook: Hook | undefined;
}

/** Collects an owner's rules; every `add` validates, `build` checks the jumps between its own chains. */
export class RuleSetBuilder {
  private readonly rules: OwnedRule[] = [];
  readonly owner: OwnerId;

  constructor(
    owner: string,
    private readonly position: JumpPosition,
  ) {
    this.owner = ownerId(owner);
    if (position !== 'first' && position !== 'last') throw new FirewallRuleError(`position ${position}`);
  }

  /** The full name of one of this owner's own chains, to jump to. */
  chain(id: string): ChainName {
    if (isHook(id)) throw new FirewallRuleError(`${id} is a hook; its chain is reached from pp_${id}`);
    return ownerChain(this.owner, id);
  }

  add(family: FamilyScope, table: Table, chain: ChainId, matches: readonly Match[], target: Target): this {
    if (family !== 'ipv4' && family !== 'ipv6' && family !== 'both')
      throw new FirewallRuleError(`family ${family}`);
    const hook = isHook(chain) ? chain : undefined;
    if (hook !== undefined && !TABLE_HOOKS[table]?.includes(hook)) {
      throw new FirewallRuleError(`table ${table} has no ${hook} hook`);
    }
    ownerChain(this.owner, chain);
    const rule: Rule = { matches: [...matches], target };
    validateRule({ family, table, hook }, rule);
    this.rules.push({ family, table, chain, rule });
    return this;
  }

  build(): RuleSet {
    for (const owned of this.rules) this.checkOwnJump(owned);
    const rules = Object.freeze([...this.rules]);
    const key = JSON.stringify({ owner: this.owner, position: this.position, rules });
    return Object.freeze({ owner: this.owner, position: this.position, rules, key });
  }

  /** A jump to one of the owner's own chains needs that chain, with rules, in the same table and families. */
  private checkOwnJump(owned: OwnedRule): void {
    const { target } = owned.rule;
    if (target.kind !== 'jump' || !isOwnersChain(this.owner, target.chain)) return;
    const id = target.chain.slice(`pp_${this.owner}_`.length);
    if (isHook(id)) throw new FirewallRuleError(`jump to the hook chain ${target.chain}`);
    for (const family of familiesOfScope(owned.family)) {
      const exists = this.rules.some(
        (r) => r.table === owned.table && r.chain === id && scopeIncludes(r.family, family),
      );
      if (!exists)
        throw new FirewallRuleError(`${owned.table} jump to ${target.chain}, which has no ${family} rule`);
    }
  }
}

export function ruleSet(owner: string, position: JumpPosition): RuleSetBuilder {
  return new RuleSetBuilder(owner, position);
}

function familiesOfScope(scope: FamilyScope): Family[] {
  return FAMILIES.filter((family) => scopeIncludes(scope, family));
}

/** The families an owner has rules in. */
export function familiesOf(set: RuleSet): Family[] {
  return FAMILIES.filter((family) => set.rules.some((r) => scopeIncludes(r.family, family)));
}

/** The owner's rules in one family and table, in declaration order. */
export function rulesIn(set: RuleSet, family: Family, table: Table): OwnedRule[] {
  return set.rules.filter((r) => r.table === table && scopeIncludes(r.family, family));
}

/** The owner's chains in one family and table, in order of first use. */
export function chainsIn(set: RuleSet, family: Family, table: Table): OwnedChain[] {
  const ids = [...new Set(rulesIn(set, family, table).map((r) => r.chain))];
  return ids.map((id) => ({ id, name: ownerChain(set.owner, id), hook: isHook(id) ? id : undefined }));
}

/** Chains of other owners this rule set jumps to, per family and table. */
export function foreignJumps(set: RuleSet): { family: Family; table: Table; chain: ChainName }[] {
  return set.rules.flatMap((owned) => {
    const { target } = owned.rule;
    if (target.kind !== 'jump' || isOwnersChain(set.owner, target.chain)) return [];
    return familiesOfScope(owned.family).map((family) => ({
      family,
      table: owned.table,
      chain: target.chain,
    }));
  });
}
