import { TimeoutError } from './errors';
import { isAlive, type ProcessIdentity } from './proc';

export const DEFAULT_GRACE_MS = 2_000;
const KILL_WAIT_MS = 3_000;
const POLL_MS = 25;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends a signal only if the pid still names the same process; returns whether it was sent. */
export function signalProcess(identity: ProcessIdentity, signal: NodeJS.Signals): boolean {
  if (!isAlive(identity)) return false;
  try {
    process.kill(identity.pid, signal);
    return true;
  } catch {
    return false; // exited between the check and the kill
  }
}

async function waitGone(identities: readonly ProcessIdentity[], ms: number): Promise<ProcessIdentity[]> {
  const deadline = Date.now() + ms;
  let alive = identities.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(POLL_MS);
    alive = alive.filter(isAlive);
  }
  return alive;
}

/** SIGTERM, wait up to `graceMs`, SIGKILL what is left, wait for it. Rejects if something survives SIGKILL. */
export async function terminateAll(
  identities: readonly ProcessIdentity[],
  graceMs: number = DEFAULT_GRACE_MS,
): Promise<void> {
  for (const identity of identities) signalProcess(identity, 'SIGTERM');
  const stubborn = await waitGone(identities, graceMs);
  for (const identity of stubborn) signalProcess(identity, 'SIGKILL');
  const survivors = await waitGone(stubborn, KILL_WAIT_MS);
  if (survivors.length > 0) {
    throw new TimeoutError(`pids ${survivors.map((p) => p.pid).join(', ')} survived SIGKILL`);
  }
}

/** For exit handlers, where nothing async runs: SIGKILL and block until gone (bounded). */
export function killAllSync(identities: readonly ProcessIdentity[]): ProcessIdentity[] {
  for (const identity of identities) signalProcess(identity, 'SIGKILL');
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + KILL_WAIT_MS;
  let alive = identities.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    Atomics.wait(pause, 0, 0, POLL_MS);
    alive = alive.filter(isAlive);
  }
  return alive;
}
