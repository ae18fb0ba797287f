import type { Family, Hook, Rule, Table } from './model';
import type { ChainName, OwnerId } from './values';

/** A rule the backend found in the kernel, named the backend's way (iptables: its saved spec text). */
export interface RuleHandle {
  readonly text: string;
}

/** One step of a table's batch. Rules carry the owner they are tagged with (none for foreign rules). */
export type FirewallOp =
  /** Create the chain, or empty it when it exists. */
  | { readonly op: 'declare'; readonly chain: ChainName }
  | {
      readonly op: 'append' | 'insert' | 'delete';
      readonly chain: ChainName | Hook;
      readonly rule: Rule;
      readonly tag: OwnerId | undefined;
    }
  /** Delete a rule found by `inspect` (the chain may be a built-in or someone else's). */
  | { readonly op: 'delete-found'; readonly chain: string; readonly handle: RuleHandle }
  | { readonly op: 'flush'; readonly chain: ChainName }
  /** Delete an empty, unreferenced chain. */
  | { readonly op: 'remove'; readonly chain: ChainName };

/** Committed atomically by the kernel. */
export interface TableBatch {
  readonly table: Table;
  readonly ops: readonly FirewallOp[];
}

/** One backend call (one `iptables-restore` process): its batches commit in order; a failure stops the rest. */
export interface FamilyTransaction {
  readonly family: Family;
  readonly batches: readonly TableBatch[];
}

/** A jump into one of our chains, found in the kernel. */
export interface FoundJump {
  readonly from: string;
  readonly to: ChainName;
  readonly handle: RuleHandle;
}

/** What of ours exists in one table: every `pp_` chain, and every rule (anywhere) that jumps to one. */
export interface FoundTable {
  readonly table: Table;
  readonly chains: readonly ChainName[];
  readonly jumps: readonly FoundJump[];
}
