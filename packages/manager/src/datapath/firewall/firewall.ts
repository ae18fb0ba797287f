import type { Logger } from 'pino';
import type { FirewallBackend } from './backend';
import { FirewallApplyError, FirewallStateError, FirewallTeardownError } from './errors';
import { FAMILIES, type Family } from './model';
import { planInstall, planRemove, planRemoveFound, planReplace, planReset, planTeardown } from './planner';
import { chainsIn, familiesOf, foreignJumps, type RuleSet } from './rule-set';
import type { FamilyTransaction } from './transaction';
import { isOwnersChain, type OwnerId } from './values';

export interface FirewallOptions {
  readonly backend: FirewallBackend;
  readonly log: Logger;
  /** The families the host runs (default both); rules of other families are not written. */
  readonly families?: readonly Family[];
}

export type ApplyOutcome = 'installed' | 'replaced' | 'unchanged';

/**
 * The declarative firewall: owners declare rule sets, the firewall writes each into its own chains with one
 * transaction per family, and removes them by unhooking, flushing and deleting those chains. Operations run
 * one at a time. The applied rule sets are kept in memory; the kernel is the only other copy.
 */
export class Firewall {
  private readonly applied = new Map<OwnerId, RuleSet>();
  private readonly families: readonly Family[];
  private started = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: FirewallOptions) {
    this.families = FAMILIES.filter((f) => (options.families ?? FAMILIES).includes(f));
  }

  /** Deletes every `pp_` chain and jump (a crash's leftovers), creates the top-level chains, applies `base`. */
  start(base: RuleSet): Promise<void> {
    return this.serial(async () => {
      for (const family of this.families) {
        const found = await this.options.backend.inspect(family);
        await this.options.backend.commit(planReset(family, found, base.owner));
      }
      this.applied.clear();
      this.started = true;
      await this.applyNow(base);
      this.options.log.info(
        { backend: this.options.backend.name, families: this.families },
        'firewall started',
      );
    });
  }

  /** Installs the owner's rule set, or replaces the one it had; an equal rule set changes nothing. */
  apply(set: RuleSet): Promise<ApplyOutcome> {
    return this.serial(() => this.applyNow(set));
  }

  /** Removes everything the owner declared; an owner the firewall does not know is found by its chains' names. */
  remove(owner: OwnerId): Promise<void> {
    return this.serial(() => this.removeNow(owner));
  }

  /** Removes everything of ours from the kernel, collecting errors. */
  stop(): Promise<void> {
    return this.serial(async () => {
      const errors: Error[] = [];
      for (const family of this.families) {
        await this.attempt(errors, async () => {
          await this.options.backend.commit(planTeardown(family, await this.options.backend.inspect(family)));
        });
      }
      this.applied.clear();
      this.started = false;
      if (errors.length > 0) throw new FirewallTeardownError('firewall stop', errors);
      this.options.log.info('firewall stopped');
    });
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
    const families = this.families.filter(
      (f) => familiesOf(set).includes(f) || (previous && familiesOf(previous).includes(f)),
    );
    // Each family is its own set of tables: both commit at once, and a failure of either rolls back both.
    const results = await Promise.allSettled(
      families.map((family) =>
        this.commit(previous ? planReplace(previous, set, family) : planInstall(set, family)),
      ),
    );
    const failure = results.findIndex((result) => result.status === 'rejected');
    if (failure >= 0) {
      const err = (results[failure] as PromiseRejectedResult).reason;
      const family = families[failure];
      const rollbackErrors = await this.rollback(set.owner, previous, families);
      this.options.log.warn(
        { owner: set.owner, family, err, rollbackErrors },
        'firewall apply failed, rolled back',
      );
      throw new FirewallApplyError(`apply ${set.owner} (${family}) failed`, rollbackErrors, { cause: err });
    }
    this.applied.set(set.owner, set);
    this.options.log.debug(
      { owner: set.owner, families },
      previous ? 'firewall owner replaced' : 'firewall owner applied',
    );
    return previous ? 'replaced' : 'installed';
  }

  private async removeNow(owner: OwnerId): Promise<void> {
    const set = this.applied.get(owner);
    this.checkDependents(owner, undefined);
    const errors: Error[] = [];
    const families =
      set === undefined ? this.families : this.families.filter((f) => familiesOf(set).includes(f));
    // The families' tables are independent and a removal leaves nothing open, so both commit at once.
    await Promise.all(
      families.map((family) =>
        this.attempt(errors, async () => {
          if (set === undefined) return this.removeFound(owner, family);
          try {
            await this.commit(planRemove(set, family));
          } catch (err) {
            this.options.log.debug({ owner, family, err }, 'planned removal failed, removing what exists');
            await this.removeFound(owner, family);
          }
        }),
      ),
    );
    if (errors.length > 0) throw new FirewallTeardownError(`remove ${owner}`, errors);
    this.applied.delete(owner);
    this.options.log.debug({ owner }, 'firewall owner removed');
  }

  /** Removes whatever the kernel holds of the owner in one family ("not found" is success). */
  private async removeFound(owner: OwnerId, family: Family): Promise<void> {
    const found = await this.options.backend.inspect(family);
    await this.commit(planRemoveFound(family, found, (chain) => isOwnersChain(owner, chain)));
  }

  /** After a failed apply: remove what the owner has in the touched families, then reinstall `previous` there. */
  private async rollback(
    owner: OwnerId,
    previous: RuleSet | undefined,
    touched: readonly Family[],
  ): Promise<Error[]> {
    const errors: Error[] = [];
    for (const family of touched) await this.attempt(errors, () => this.removeFound(owner, family));
    if (previous !== undefined && errors.length === 0) {
      for (const family of touched.filter((f) => familiesOf(previous).includes(f))) {
        await this.attempt(errors, () => this.commit(planInstall(previous, family)));
      }
    }
    if (previous === undefined || errors.length > 0) this.applied.delete(owner);
    return errors;
  }

  private async commit(transaction: FamilyTransaction): Promise<void> {
    if (transaction.batches.length > 0) await this.options.backend.commit(transaction);
  }

  private async attempt(errors: Error[], step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (err) {
      errors.push(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Every jump to another owner's chain must land on a chain that owner has applied. */
  private checkReferences(set: RuleSet): void {
    for (const ref of foreignJumps(set).filter((r) => this.families.includes(r.family))) {
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
