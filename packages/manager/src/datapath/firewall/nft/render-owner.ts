import { FirewallStateError } from '../errors';
import { APPLY_TABLE_ORDER, type Hook, isHook, REMOVE_TABLE_ORDER, type Rule, type Table } from '../model';
import type { RuleSet } from '../rule-set';
import { type OwnerId, ownerChain, ownerId } from '../values';
import type { NftJump } from './echo';
import { parseListing } from './listing';
import { isOwnersNftChain, nftChainName, ourChain, ruleHandle, TABLE_REF } from './names';
import { baseChainName } from './render-base';
import { renderNftRule } from './render-rule';

/** One of an owner's nft chains; both families share it. */
interface NftOwnerChain {
  readonly table: Table;
  readonly name: string;
  readonly hook: Hook | undefined;
}

/** The owner's chains, table by table in `order`, each table's in order of first use. */
function ownerChains(set: RuleSet, order: readonly Table[]): NftOwnerChain[] {
  return order.flatMap((table) => {
    const ids = [...new Set(set.rules.filter((r) => r.table === table).map((r) => r.chain))];
    return ids.map((id) => ({
      table,
      name: nftChainName(table, ownerChain(set.owner, id)),
      hook: isHook(id) ? id : undefined,
    }));
  });
}

/**
 * Adds the owner's chains, fills them in declaration order, then hooks its hook chains into the base chains:
 * `insert rule` (ahead of the jumps there) for position `first`, `add rule` for `last`.
 */
export function renderInstall(set: RuleSet): string[] {
  const chains = ownerChains(set, APPLY_TABLE_ORDER);
  const rules = APPLY_TABLE_ORDER.flatMap((table) =>
    set.rules
      .filter((r) => r.table === table)
      .map((r) => {
        const chain = nftChainName(table, ownerChain(set.owner, r.chain));
        return `add rule ${TABLE_REF} ${chain} ${renderNftRule(table, r.family, r.rule, set.owner)}`;
      }),
  );
  const verb = set.position === 'first' ? 'insert' : 'add';
  const jumps = chains.flatMap(({ table, hook }) => {
    if (hook === undefined) return [];
    const rule: Rule = { matches: [], target: { kind: 'jump', chain: ownerChain(set.owner, hook) } };
    return [
      `${verb} rule ${TABLE_REF} ${baseChainName(table, hook)} ${renderNftRule(table, 'both', rule, set.owner)}`,
    ];
  });
  return [...chains.map((c) => `add chain ${TABLE_REF} ${c.name}`), ...rules, ...jumps];
}

/** Deletes jumps by handle, then flushes every chain before deleting any (they may jump to each other). */
function removal(jumps: readonly { chain: string; handle: number }[], chains: readonly string[]): string[] {
  return [
    ...jumps.map((j) => `delete rule ${TABLE_REF} ${ourChain(j.chain)} handle ${ruleHandle(j.handle)}`),
    ...chains.map((chain) => `flush chain ${TABLE_REF} ${ourChain(chain)}`),
    ...chains.map((chain) => `delete chain ${TABLE_REF} ${ourChain(chain)}`),
  ];
}

/**
 * Removes an installed owner: its jumps from chains not its own (`jumps` as echoed at install; others'
 * jumps and those inside its own chains are left to the flush), then its chains. Throws PP_ERR_FIREWALL_STATE
 * when a hook chain of the owner has no recorded jump, which the kernel would refuse to delete.
 */
export function renderRemove(set: RuleSet, jumps: readonly NftJump[]): string[] {
  const chains = ownerChains(set, REMOVE_TABLE_ORDER);
  const hooks = jumps.filter((j) => j.owner === set.owner && !isOwnersNftChain(set.owner, j.chain));
  for (const chain of chains) {
    if (chain.hook !== undefined && !hooks.some((j) => j.target === chain.name))
      throw new FirewallStateError(`no recorded jump into ${chain.name} of ${set.owner}`);
  }
  return removal(
    hooks,
    chains.map((c) => c.name),
  );
}

/**
 * Removes an owner known only by name from what `nft -a list table inet patchpanel` shows: every jump into
 * its chains from a chain not its own, by handle, then its chains. Empty when it has nothing.
 */
export function renderRemoveFound(owner: OwnerId, listing: string): string[] {
  const checked = ownerId(owner);
  const listed = parseListing(listing);
  const chains = listed.filter((c) => isOwnersNftChain(checked, c.name)).map((c) => c.name);
  const jumps = listed
    .filter((c) => !isOwnersNftChain(checked, c.name))
    .flatMap((c) =>
      c.rules
        .filter((r) => r.jumpsTo !== undefined && chains.includes(r.jumpsTo))
        .map((r) => ({ chain: c.name, handle: r.handle })),
    );
  return removal(jumps, chains);
}
