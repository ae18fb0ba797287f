import type { Logger } from 'pino';
import type { FirewallBackend } from './backend';
import { FirewallApplyError, FirewallTeardownError } from './errors';
import { FAMILIES, type Family } from './model';
import { planInstall, planRemove, planRemoveFound, planReplace, planReset, planTeardown } from './planner';
import { familiesOf, type RuleSet } from './rule-set';
import type { FirewallStore } from './store';
import type { FamilyTransaction } from './transaction';
import { isOwnersChain, type OwnerId } from './values';

export interface TransactionStoreOptions {
  readonly backend: FirewallBackend;
  readonly log: Logger;
  /** The families the host runs (default both); rules of other families are not written. */
  readonly families?: readonly Family[];
}

/**
 * A store over per-family transactions (iptables-restore, or the fake): each owner change is one transaction
 * per family, planned from the rule sets; a family that fails rolls back the others.
 */
class TransactionStore implements FirewallStore {
  readonly name: string;
  private readonly families: readonly Family[];

  constructor(private readonly options: TransactionStoreOptions) {
    this.name = options.backend.name;
    this.families = FAMILIES.filter((f) => (options.families ?? FAMILIES).includes(f));
  }

  async reset(base: RuleSet): Promise<void> {
    for (const family of this.families) {
      const found = await this.options.backend.inspect(family);
      await this.options.backend.commit(planReset(family, found, base.owner));
    }
    await this.install(base, undefined);
  }

  async install(next: RuleSet, previous: RuleSet | undefined): Promise<void> {
    const families = this.families.filter(
      (f) => familiesOf(next).includes(f) || (previous && familiesOf(previous).includes(f)),
    );
    // Each family is its own set of tables: both commit at once, and a failure of either rolls back both.
    const results = await Promise.allSettled(
      families.map((family) =>
        this.commit(previous ? planReplace(previous, next, family) : planInstall(next, family)),
      ),
    );
    const failure = results.findIndex((result) => result.status === 'rejected');
    if (failure < 0) return;
    const err = (results[failure] as PromiseRejectedResult).reason;
    const family = families[failure];
    const rollbackErrors = await this.rollback(next.owner, previous, families);
    this.options.log.warn(
      { owner: next.owner, family, err, rollbackErrors },
      'firewall apply failed, rolled back',
    );
    throw new FirewallApplyError(`apply ${next.owner} (${family}) failed`, rollbackErrors, { cause: err });
  }

  async remove(owner: OwnerId, applied: RuleSet | undefined): Promise<void> {
    const errors: Error[] = [];
    const families =
      applied === undefined ? this.families : this.families.filter((f) => familiesOf(applied).includes(f));
    // The families' tables are independent and a removal leaves nothing open, so both commit at once.
    await Promise.all(
      families.map((family) =>
        attempt(errors, async () => {
          if (applied === undefined) return this.removeFound(owner, family);
          try {
            await this.commit(planRemove(applied, family));
          } catch (err) {
            this.options.log.debug({ owner, family, err }, 'planned removal failed, removing what exists');
            await this.removeFound(owner, family);
          }
        }),
      ),
    );
    if (errors.length > 0) throw new FirewallTeardownError(`remove ${owner}`, errors);
  }

  async teardown(): Promise<void> {
    const errors: Error[] = [];
    for (const family of this.families) {
      await attempt(errors, async () => {
        await this.options.backend.commit(planTeardown(family, await this.options.backend.inspect(family)));
      });
    }
    if (errors.length > 0) throw new FirewallTeardownError('firewall stop', errors);
  }

  async dump(): Promise<string> {
    const dumps = await Promise.all(FAMILIES.map((family) => this.options.backend.dump(family)));
    return dumps.join('');
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
    for (const family of touched) await attempt(errors, () => this.removeFound(owner, family));
    if (previous !== undefined && errors.length === 0) {
      for (const family of touched.filter((f) => familiesOf(previous).includes(f))) {
        await attempt(errors, () => this.commit(planInstall(previous, family)));
      }
    }
    return errors;
  }

  private async commit(transaction: FamilyTransaction): Promise<void> {
    if (transaction.batches.length > 0) await this.options.backend.commit(transaction);
  }
}

async function attempt(errors: Error[], step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (err) {
    errors.push(err instanceof Error ? err : new Error(String(err)));
  }
}

export function createTransactionStore(options: TransactionStoreOptions): FirewallStore {
  return new TransactionStore(options);
}
