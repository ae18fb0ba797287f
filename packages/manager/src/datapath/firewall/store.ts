import type { RuleSet } from './rule-set';
import type { OwnerId } from './values';

/**
 * The kernel side of the firewall: how a backend keeps the owners' rule sets. The firewall calls one method
 * at a time and keeps the owner bookkeeping; a store only writes and removes.
 */
export interface FirewallStore {
  readonly name: string;
  /** Removes every rule of ours an earlier daemon left, then installs `base`. */
  reset(base: RuleSet): Promise<void>;
  /**
   * Installs `next`, replacing `previous` of the same owner. Rejects with PP_ERR_FIREWALL_APPLY when it
   * fails; the kernel then holds `previous` again, or nothing of the owner.
   */
  install(next: RuleSet, previous: RuleSet | undefined): Promise<void>;
  /** Removes an owner: the rule set it applied when known, else whatever the kernel holds under its name. */
  remove(owner: OwnerId, applied: RuleSet | undefined): Promise<void>;
  /** Removes everything of ours. */
  teardown(): Promise<void>;
  /** Everything the kernel holds, both families, as text for tests, the CLI and people. */
  dump(): Promise<string>;
}
