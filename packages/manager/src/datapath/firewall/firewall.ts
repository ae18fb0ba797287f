import type { Logger } from 'pino';
import type { FirewallBackend } from './backend';
import { FirewallApplyError, FirewallStateError } from './errors';
import type { Family } from './model';
import { chainsIn, foreignJumps, type RuleSet } from './rule-set';
import type { FirewallStore } from './store';
import { createTransactionStore } from './transaction-store';
import { isOwnersChain, type OwnerId } from './values';

export type FirewallOptions = { readonly log: Logger } & (
  | { readonly store: FirewallStore }
  | {
      /** A per-family transaction backend (iptables, the fake), kept through a transaction store. */
      readonly backend: FirewallBackend;
      /** The families the host runs (default both); rules of other families are not written. */
      readonly families?: readonly Family[];
    }
);

export type ApplyOutcome = 'installed' | 'replaced' | 'unchanged';

/**
 * The declarative firewall: owners declare rule sets; the store writes each into chains of its own and removes
 * them without touching anyone else's. Operations run one at a time. The applied rule sets are kept in memory;
 * the kernel is the only other copy.
 */
export class Firewall {
  private readonly applied = new Map<OwnerId, RuleSet>();
  private readonly store: FirewallStore;
  private started = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: FirewallOptions) {
    this.store = 'store' in options ? options.store : createTransactionStore({ ...options });
  }

  get backend(): string {
    return this.store.name;
  }

  /** Deletes everything of ours (a crash's leftovers), creates the top-level chains, applies `base`. */
  start(base: RuleSet): Promise<void> {
    return this.serial(async () => {
      await this.store.reset(base);
      this.applied.clear();
      this.applied.set(base.owner, base);
      this.started = true;
      this.options.log.info({ backend: this.store.name }, 'firewall started');
    });
  }

  /** Installs the owner's rule set, or replaces the one it had; an equal rule set changes nothing. */
  apply(set: RuleSet): Promise<ApplyOutcome> {
    return this.serial(() => this.applyNow(set));
  }

  /** Removes everything the owner declared; an owner the firewall does not know is found by its chains' names. */
  remove(owner: OwnerId): Promise<void> {
    return this.serial(async () => {
      this.checkDependents(owner, undefined);
      await this.store.remove(owner, this.applied.get(owner));
      this.applied.delete(owner);
      this.options.log.debug({ owner }, 'firewall owner removed');
    });
  }

  /** Removes everything of ours from the kernel, collecting errors. */
  stop(): Promise<void> {
    return this.serial(async () => {
      this.applied.clear();
      this.started = false;
      await this.store.teardown();
      this.options.log.info('firewall stopped');
    });
  }

  /** Everything the kernel holds, as the backend prints it. */
  dump(): Promise<string> {
    return this.serial(() => this.store.dump());
  }

  ruleSet(owner: OwnerId): RuleSet | undefined {
    return this.applied.get(owner);
  }

  ruleSets(): RuleSet[] {
    return [...this.applied.values()];
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async applyNow(set: RuleSet): Promise<ApplyOutcome> {
    if (!this.started) throw new FirewallStateError(`apply ${set.owner}: the firewall is not started`);
    const previous = this.applied.get(set.owner);
    if (previous?.key === set.key) return 'unchanged';
    this.checkReferences(set);
    if (previous !== undefined) this.checkDependents(set.owner, set);
    try {
      await this.store.install(set, previous);
    } catch (err) {
      // The store put `previous` back unless rolling back failed too; then nothing of the owner is known.
      if (previous === undefined || (err instanceof FirewallApplyError && err.rollbackErrors.length > 0)) {
        this.applied.delete(set.owner);
      }
      throw err;
    }
    this.applied.set(set.owner, set);
    this.options.log.debug(
      { owner: set.owner },
      previous ? 'firewall owner replaced' : 'firewall owner applied',
    );
    return previous ? 'replaced' : 'installed';
  }

  /** Every jump to another owner's chain must land on a chain that owner has applied. */
  private checkReferences(set: RuleSet): void {
    for (const ref of foreignJumps(set)) {
      const exists = this.ruleSets().some(
        (other) =>
          other.owner !== set.owner &&
          chainsIn(other, ref.family, ref.table).some((c) => c.name === ref.chain),
      );
      if (!exists) {
        throw new FirewallStateError(
          `${set.owner} jumps to ${ref.chain} (${ref.family} ${ref.table}), not applied`,
        );
      }
    }
  }

  /** Refuses to take away a chain other owners jump to (`next` undefined: the owner goes entirely). */
  private checkDependents(owner: OwnerId, next: RuleSet | undefined): void {
    for (const other of this.ruleSets()) {
      if (other.owner === owner) continue;
      for (const ref of foreignJumps(other)) {
        if (!isOwnersChain(owner, ref.chain)) continue;
        const kept =
          next !== undefined && chainsIn(next, ref.family, ref.table).some((c) => c.name === ref.chain);
        if (!kept)
          throw new FirewallStateError(`${other.owner} still jumps to ${ref.chain}; remove it first`);
      }
    }
  }
}

export function createFirewall(options: FirewallOptions): Firewall {
  return new Firewall(options);
}
