import { Socket } from 'node:net';
import { nextStopSignal, type StopSignal } from './stop-signal';

export type LifelineEnd = { readonly by: 'signal'; readonly signal: StopSignal } | { readonly by: 'daemon' };

/**
 * Keeps the read end of a ConnectNamespace lifeline open until SIGINT/SIGTERM, or until the daemon closes its
 * write end (it disconnected the namespace, or died): that end reads EOF. Either way the fd is closed on return,
 * which is what tells the daemon to disconnect.
 */
export async function holdLifeline(fd: number): Promise<LifelineEnd> {
  const lifeline = new Socket({ fd, readable: true, writable: false });
  const closedByDaemon = new Promise<LifelineEnd>((resolve) => {
    lifeline.once('end', () => resolve({ by: 'daemon' }));
    lifeline.once('error', () => resolve({ by: 'daemon' }));
  });
  lifeline.resume(); // nothing is ever written; reading is how EOF is noticed
  const end = await Promise.race([
    nextStopSignal().then((signal): LifelineEnd => ({ by: 'signal', signal })),
    closedByDaemon,
  ]);
  await new Promise<void>((resolve) => {
    if (lifeline.destroyed) resolve();
    else lifeline.destroy().once('close', () => resolve());
  });
  return end;
}
