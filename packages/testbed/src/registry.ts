/** What the process-wide exit hooks can do with a live bed: tear it down without awaiting anything. */
export interface EmergencyTeardown {
  readonly prefix: string;
  /** Whether SIGINT/SIGTERM/SIGHUP should tear this bed down (the CLI handles signals itself). */
  readonly handleSignals: boolean;
  teardownSync(): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const live = new Set<EmergencyTeardown>();
let hooked = false;
let signalsHooked = false;

function teardownAllSync(): void {
  for (const bed of [...live]) {
    live.delete(bed);
    try {
      bed.teardownSync();
    } catch {
      // exit paths cannot report; the next run's sweep retries what is left
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  teardownAllSync();
  unhook();
  // Die of the same signal, as if nobody had listened.
  process.kill(process.pid, signal);
}

function rehook(): void {
  const wantExit = live.size > 0;
  const wantSignals = [...live].some((bed) => bed.handleSignals);
  if (wantExit !== hooked) {
    if (wantExit) process.on('exit', teardownAllSync);
    else process.off('exit', teardownAllSync);
    hooked = wantExit;
  }
  if (wantSignals !== signalsHooked) {
    for (const signal of SIGNALS) {
      if (wantSignals) process.on(signal, onSignal);
      else process.off(signal, onSignal);
    }
    signalsHooked = wantSignals;
  }
}

function unhook(): void {
  live.clear();
  rehook();
}

/** Tears the bed down synchronously if the process exits or is signalled before its own teardown. */
export function registerLiveBed(bed: EmergencyTeardown): void {
  live.add(bed);
  rehook();
}

export function unregisterLiveBed(bed: EmergencyTeardown): void {
  live.delete(bed);
  rehook();
}
