import { describeError } from './errors';
import { terminateAll } from './kill';
import { type Logger, silentLogger } from './logger';
import { deleteNetns, listNetns } from './netns';
import { isAlive } from './proc';
import { STATE_DIR } from './state';
import { readStoredRuns, removeStoredRun } from './state-store';
import { planSweep } from './sweep-plan';

export interface SweepReport {
  /** Prefixes of the dead runs that were removed. */
  readonly runs: readonly string[];
  /** Every namespace deleted (of dead runs and orphans). */
  readonly netns: readonly string[];
  /** Damaged state files left in place. */
  readonly damaged: readonly string[];
  /** Steps that failed; the sweep carries on past them. */
  readonly errors: readonly string[];
}

export interface SweepOptions {
  readonly logger?: Logger;
  readonly stateDir?: string;
}

/**
 * Removes namespaces, processes and files of earlier runs whose owner is dead (crashed or SIGKILLed).
 * Processes are killed only when pid and start time both match the record; namespaces are emptied first.
 */
export async function sweepLeftovers(options: SweepOptions = {}): Promise<SweepReport> {
  const log = (options.logger ?? silentLogger).child({ component: 'sweep' });
  const stateDir = options.stateDir ?? STATE_DIR;
  const netns = listNetns();
  const plan = planSweep({ netns, runs: readStoredRuns(stateDir), isAlive });
  const errors: string[] = [];
  const deleted: string[] = [];
  const attempt = async (what: string, step: () => Promise<void>): Promise<void> => {
    try {
      await step();
    } catch (err) {
      errors.push(`${what}: ${describeError(err)}`);
      log.warn({ what, err: describeError(err) }, 'sweep step failed');
    }
  };
  for (const run of plan.deadRuns) {
    await attempt(`processes of ${run.prefix}`, () => terminateAll(run.processes));
    for (const name of run.netns) {
      await attempt(`netns ${name}`, async () => {
        if (await deleteNetns(name)) deleted.push(name);
      });
    }
    await attempt(`files of ${run.prefix}`, async () => removeStoredRun(run.prefix, stateDir));
    log.info({ prefix: run.prefix, netns: run.netns }, 'swept a dead run');
  }
  for (const name of plan.orphanNetns) {
    await attempt(`orphan netns ${name}`, async () => {
      if (await deleteNetns(name)) deleted.push(name);
    });
  }
  return { runs: plan.deadRuns.map((run) => run.prefix), netns: deleted, damaged: plan.damaged, errors };
}
