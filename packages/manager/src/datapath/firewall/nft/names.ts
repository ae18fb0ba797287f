import { FirewallRuleError } from '../errors';
import type { Table } from '../model';
import { type ChainName, type OwnerId, ownerId } from '../values';

/** The one nftables table of ours, `inet patchpanel`: both families, every hook. */
export const NFT_TABLE = 'patchpanel';
/** The words every command starts its object reference with: `<verb> <object> inet patchpanel …`. */
export const TABLE_REF = `inet ${NFT_TABLE}`;

const TABLES: readonly Table[] = ['filter', 'nat', 'mangle'];
const OUR_CHAIN = /^pp_[A-Za-z0-9_]+$/;

/**
 * The nft chain for an iptables-style chain of ours in `table`: `pp_<HOOK>` -> `pp_<table>_<HOOK>`,
 * `pp_<owner>_<id>` -> `pp_<table>_<owner>_<id>`. One table holds what iptables spreads over three, so the
 * table name goes into the chain name.
 */
export function nftChainName(table: Table, chain: ChainName): string {
  if (!TABLES.includes(table)) throw new FirewallRuleError(`table ${JSON.stringify(table)} is not valid`);
  return `pp_${table}_${ourChain(chain).slice('pp_'.length)}`;
}

/** A chain name of ours (`pp_` then letters, digits and '_'), checked before it goes into a command. */
export function ourChain(name: string): string {
  if (typeof name !== 'string' || !OUR_CHAIN.test(name))
    throw new FirewallRuleError(`chain ${JSON.stringify(name)} is not ours`);
  return name;
}

/** A rule handle as nft prints it, checked before it goes into a command. */
export function ruleHandle(handle: number): number {
  if (!Number.isSafeInteger(handle) || handle < 1)
    throw new FirewallRuleError(`rule handle ${JSON.stringify(handle)} is not valid`);
  return handle;
}

/** Whether an nft chain belongs to the owner; owner ids have no '_', so `ns1` never claims `ns10`'s chains. */
export function isOwnersNftChain(owner: OwnerId, name: string): boolean {
  return TABLES.some((table) => name.startsWith(`pp_${table}_${owner}_`));
}

/** What every rule of ours carries as its comment, the jumps included: `pp:<owner>`. */
export function ownerTag(owner: OwnerId): string {
  return `pp:${ownerId(owner)}`;
}

export function ownerComment(owner: OwnerId): string {
  return `comment "${ownerTag(owner)}"`;
}
