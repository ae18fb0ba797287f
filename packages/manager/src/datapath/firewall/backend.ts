import type { Family } from './model';
import type { FamilyTransaction, FoundTable } from './transaction';

/**
 * A per-family transaction backend (iptables-restore, the fake), kept by a transaction store; the firewall only speaks typed transactions
 * to it, so an nftables backend renders the same operations its own way.
 */
export interface FirewallBackend {
  readonly name: string;
  /** Applies one family's transaction; rejects with PP_ERR_FIREWALL_COMMIT (earlier batches stay committed). */
  commit(transaction: FamilyTransaction): Promise<void>;
  /** Our chains and the jumps into them, per table; rejects with PP_ERR_FIREWALL_INSPECT. */
  inspect(family: Family): Promise<readonly FoundTable[]>;
  /** The family's whole ruleset in `iptables-save` form, for tests, the CLI and people. */
  dump(family: Family): Promise<string>;
}
