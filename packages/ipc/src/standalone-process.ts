// The other way a helper runs: as a standalone daemon without a manager (ndproxyd, mcastd).
import type { Logger } from 'pino';

/** What a started standalone daemon offers its process: counters for the last log line, and a close. */
export interface StandaloneDaemon {
  stats(): unknown;
  close(): void;
}

export interface StandaloneProcessOptions {
  readonly logger: Logger;
  /** e.g. 'ndproxyd <physical_ifname> <guest_ifname>'. */
  readonly usage: string;
  /** Starts the daemon with the two interface arguments; rejects when it cannot. */
  readonly start: (upstream: string, guest: string) => Promise<StandaloneDaemon>;
  /** Default: process.argv after the script. */
  readonly argv?: readonly string[];
  /** Default: process.exit. */
  readonly exit?: (code: number) => void;
}

/**
 * `<daemon> <physical_ifname> <guest_ifname>`: exit 1 with the usage when an argument is missing or with the
 * reason when the start fails; once started, SIGTERM or SIGINT logs the counters, closes and exits 0.
 */
export async function runStandaloneProcess(options: StandaloneProcessOptions): Promise<void> {
  const { logger } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const [upstream, guest] = options.argv ?? process.argv.slice(2);
  if (upstream === undefined || guest === undefined) {
    logger.error(`usage: ${options.usage}`);
    exit(1);
    return;
  }
  let daemon: StandaloneDaemon;
  try {
    daemon = await options.start(upstream, guest);
  } catch (error) {
    logger.error({ err: error }, 'cannot start');
    exit(1);
    return;
  }
  logger.info({ upstream, guest }, 'running');
  const stop = (signal: NodeJS.Signals): void => {
    logger.info({ signal, stats: daemon.stats() }, 'stopped');
    daemon.close();
    exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
