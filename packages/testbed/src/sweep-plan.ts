import { prefixOfNetns } from './names';
import type { ProcessIdentity } from './proc';
import type { RecordedProcess } from './state';
import type { StoredRun } from './state-store';

export interface SweepInput {
  /** Namespace names, listed BEFORE the state files were read (a run writes its state before it adds a netns). */
  readonly netns: readonly string[];
  readonly runs: readonly StoredRun[];
  readonly isAlive: (owner: ProcessIdentity) => boolean;
}

export interface DeadRun {
  readonly prefix: string;
  readonly netns: readonly string[];
  readonly processes: readonly RecordedProcess[];
}

export interface SweepPlan {
  /** Runs whose owner is dead: everything they recorded goes. */
  readonly deadRuns: readonly DeadRun[];
  /** Namespaces with a bed prefix and no state file at all (the state directory was wiped). */
  readonly orphanNetns: readonly string[];
  /** State files that do not parse: left alone, since their owner cannot be checked. */
  readonly damaged: readonly string[];
}

/** Decides what a sweep removes; never touches a run whose owner still runs. */
export function planSweep(input: SweepInput): SweepPlan {
  const recorded = new Set(input.runs.map((run) => run.prefix));
  const deadRuns: DeadRun[] = [];
  for (const run of input.runs) {
    if (run.state === undefined || input.isAlive(run.state.owner)) continue;
    const listed = input.netns.filter((name) => prefixOfNetns(name) === run.prefix);
    deadRuns.push({
      prefix: run.prefix,
      netns: [...new Set([...run.state.netns, ...listed])],
      processes: run.state.processes,
    });
  }
  const orphanNetns = input.netns.filter((name) => {
    const prefix = prefixOfNetns(name);
    return prefix !== undefined && !recorded.has(prefix);
  });
  const damaged = input.runs.filter((run) => run.error !== undefined).map((run) => run.prefix);
  return { deadRuns, orphanNetns, damaged };
}
