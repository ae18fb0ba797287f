import { FirewallStateError } from '../errors';
import { APPLY_TABLE_ORDER, type Hook, isHook, REMOVE_TABLE_ORDER, type Table } from '../model';
import type { OwnedRule, RuleSet } from '../rule-set';
import { type OwnerId, ownerChain, ownerId } from '../values';
import { type Dispatch, dispatchMapName, dispatchOf } from './dispatch';
import { type Listing, parseListing } from './listing';
import { isOwnersNftChain, nftChainName } from './names';
import { type NftOp, nftCommand, parseElementKey } from './ops';
import { baseChainName, renderBaseTable } from './render-base';

/** A jump rule of ours in a base chain: where it sits, its handle there, where it goes. */
export interface NftJump {
  readonly chain: string;
  readonly handle: number;
  readonly target: string;
}

/** One of an owner's nft chains with its rules, and for a hook chain how the base chain reaches it. */
interface OwnerChain {
  readonly table: Table;
  readonly name: string;
  readonly rules: readonly OwnedRule[];
  readonly hook: { readonly hook: Hook; readonly dispatch: Dispatch } | undefined;
}

/** The owner's chains of one table (a keyed hook chain is one chain per part). */
function tableChains(set: RuleSet, table: Table): OwnerChain[] {
  const ids = [...new Set(set.rules.filter((r) => r.table === table).map((r) => r.chain))];
  return ids.flatMap((id): OwnerChain[] => {
    if (!isHook(id)) {
      const rules = set.rules.filter((r) => r.table === table && r.chain === id);
      return [{ table, name: nftChainName(table, ownerChain(set.owner, id)), rules, hook: undefined }];
    }
    const dispatch = dispatchOf(set, table, id);
    const hook = { hook: id, dispatch };
    if (dispatch.kind === 'jump') return [{ table, name: dispatch.chain, rules: dispatch.rules, hook }];
    return dispatch.parts.map((part) => ({ table, name: part.chain, rules: part.rules, hook }));
  });
}

/** Per rule set (they are immutable), since an owner's apply, record and removal each need its chains. */
const chainsByTable = new WeakMap<RuleSet, ReadonlyMap<Table, readonly OwnerChain[]>>();

/** The owner's chains, table by table in `order`. */
function ownerChains(set: RuleSet, order: readonly Table[]): OwnerChain[] {
  const byTable = chainsByTable.get(set) ?? rememberChains(set);
  return order.flatMap((table) => byTable.get(table) ?? []);
}

function rememberChains(set: RuleSet): ReadonlyMap<Table, readonly OwnerChain[]> {
  const byTable = new Map(APPLY_TABLE_ORDER.map((table) => [table, tableChains(set, table)]));
  chainsByTable.set(set, byTable);
  return byTable;
}

/** The hook chains of the owner reached by jump rules: their jumps need handles to be removed. */
export function jumpedChains(set: RuleSet): JumpedChain[] {
  return ownerChains(set, APPLY_TABLE_ORDER).flatMap((chain) =>
    chain.hook?.dispatch.kind === 'jump'
      ? [
          {
            table: chain.table,
            hook: chain.hook.hook,
            base: baseChainName(chain.table, chain.hook.hook),
            target: chain.name,
          },
        ]
      : [],
  );
}

interface JumpedChain {
  readonly table: Table;
  readonly hook: Hook;
  /** The base chain the jump sits in, and the owner's chain it goes to. */
  readonly base: string;
  readonly target: string;
}

function elementOps(verb: 'add' | 'delete', set: RuleSet, order: readonly Table[]): NftOp[] {
  return order.flatMap((table) =>
    [...new Set(set.rules.filter((r) => r.table === table).map((r) => r.chain))].flatMap((id) => {
      if (!isHook(id)) return [];
      const dispatch = dispatchOf(set, table, id);
      if (dispatch.kind === 'jump') return [];
      return dispatch.parts.map((part): NftOp => {
        const map = dispatchMapName(table, id, part.map);
        return verb === 'add'
          ? { op: 'add-element', map, key: part.key, jumpTo: part.chain }
          : { op: 'delete-element', map, key: part.key };
      });
    }),
  );
}

/** An install in two steps: the owner's chains, then their rules and how the base chains reach them. */
function installParts(set: RuleSet): { chains: NftOp[]; rest: NftOp[] } {
  const chains = ownerChains(set, APPLY_TABLE_ORDER);
  const rules = chains.flatMap((chain) =>
    chain.rules.map(
      (r): NftOp => ({
        op: 'add-rule',
        table: chain.table,
        chain: chain.name,
        family: r.family,
        rule: r.rule,
        tag: set.owner,
        at: 'append',
      }),
    ),
  );
  const at = set.position === 'first' ? 'insert' : 'append';
  const jumps = jumpedChains(set).map(
    ({ table, hook, base }): NftOp => ({
      op: 'add-rule',
      table,
      chain: base,
      family: 'both',
      rule: { matches: [], target: { kind: 'jump', chain: ownerChain(set.owner, hook) } },
      tag: set.owner,
      at,
    }),
  );
  return {
    chains: chains.map((c): NftOp => ({ op: 'add-chain', chain: c.name })),
    rest: [...rules, ...elementOps('add', set, APPLY_TABLE_ORDER), ...jumps],
  };
}

/**
 * Adds the owner's chains and fills them in declaration order, then hooks its hook chains into the base
 * chains: map elements for keyed ones; jump rules otherwise, inserted (ahead of the jumps there) for
 * position `first`, appended for `last`.
 */
export function installOps(set: RuleSet): NftOp[] {
  const { chains, rest } = installParts(set);
  return [...chains, ...rest];
}

export function renderInstall(set: RuleSet): string[] {
  return installOps(set).map(nftCommand);
}

/**
 * The whole table in one transaction: every earlier rule of ours gone, the base chains and maps, then `sets` in
 * order. The owners' chains are made before the maps: nft 1.0.6 refuses, within one transaction, a map element
 * that jumps to a chain made after its map.
 */
export function renderTable(sets: readonly RuleSet[]): string[] {
  const parts = sets.map(installParts);
  const [reset, structure] = renderBaseTable();
  return [
    ...reset,
    ...parts.flatMap((p) => p.chains).map(nftCommand),
    ...structure,
    ...parts.flatMap((p) => p.rest).map(nftCommand),
  ];
}

/** Deletes jumps by handle, then flushes every chain before deleting any (they may jump to each other). */
function removal(
  first: readonly NftOp[],
  jumps: readonly { chain: string; handle: number }[],
  chains: readonly string[],
): NftOp[] {
  return [
    ...first,
    ...jumps.map((j): NftOp => ({ op: 'delete-rule', chain: j.chain, handle: j.handle })),
    ...chains.map((chain): NftOp => ({ op: 'flush-chain', chain })),
    ...chains.map((chain): NftOp => ({ op: 'delete-chain', chain })),
  ];
}

/**
 * Removes an installed owner: its map elements by key and its jump rules by the handles they got, then its
 * chains. Throws PP_ERR_FIREWALL_STATE when a jumped hook chain of the owner has no recorded jump, which the
 * kernel would refuse to delete.
 */
export function removeOps(set: RuleSet, jumps: readonly NftJump[]): NftOp[] {
  const ours = jumpedChains(set).map(({ base, target }) => {
    const jump = jumps.find((j) => j.chain === base && j.target === target);
    if (jump === undefined) throw new FirewallStateError(`no recorded jump into ${target} of ${set.owner}`);
    return jump;
  });
  const chains = ownerChains(set, REMOVE_TABLE_ORDER).map((c) => c.name);
  return removal(elementOps('delete', set, REMOVE_TABLE_ORDER), ours, chains);
}

export function renderRemove(set: RuleSet, jumps: readonly NftJump[]): string[] {
  return removeOps(set, jumps).map(nftCommand);
}

/**
 * Removes an owner known only by name from what `nft -a list table inet patchpanel` shows: every map element
 * and every jump into its chains from a chain not its own, then its chains. Empty when it has nothing.
 */
export function renderRemoveFound(owner: OwnerId, listing: string): string[] {
  const checked = ownerId(owner);
  const listed = parseListing(listing);
  const chains = listed.chains.filter((c) => isOwnersNftChain(checked, c.name)).map((c) => c.name);
  const elements = listed.maps.flatMap((map) =>
    map.elements
      .filter((e) => chains.includes(e.jumpsTo))
      .map((e): NftOp => ({ op: 'delete-element', map: map.name, key: parseElementKey(e.key) })),
  );
  const jumps = listed.chains
    .filter((c) => !isOwnersNftChain(checked, c.name))
    .flatMap((c) =>
      c.rules
        .filter((r) => r.jumpsTo !== undefined && chains.includes(r.jumpsTo))
        .map((r) => ({ chain: c.name, handle: r.handle })),
    );
  return removal(elements, jumps, chains).map(nftCommand);
}

/** The jumps into the owner's jumped hook chains, as `nft -a list chain` shows their base chains. */
export function jumpsInListing(set: RuleSet, listing: Listing): NftJump[] {
  const wanted = jumpedChains(set);
  return listing.chains.flatMap((c) =>
    c.rules.flatMap((r) =>
      wanted.some((w) => w.base === c.name && w.target === r.jumpsTo)
        ? [{ chain: c.name, handle: r.handle, target: r.jumpsTo as string }]
        : [],
    ),
  );
}
