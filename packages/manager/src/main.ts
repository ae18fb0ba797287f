#!/usr/bin/env node
import pino from 'pino';
import { loadDaemonConfig } from './config/daemon-config';
import { startDaemon } from './daemon/daemon';
import { ManagerError } from './errors';
import { watchLifelines } from './guests/lifeline';

async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = await loadDaemonConfig(process.argv.slice(2));
  const logger = pino({ name: 'patchpaneld', level: config.logLevel });
  let stopping = false;
  const stop = (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      logger.info({ reason }, 'stopping');
      try {
        await daemon?.stop();
      } catch (err) {
        logger.error({ err }, 'stop failed');
        exitCode = 1;
      }
      process.exit(exitCode);
    })();
  };
  let daemon: Awaited<ReturnType<typeof startDaemon>> | undefined;
  process.on('SIGTERM', () => stop('SIGTERM', 0));
  process.on('SIGINT', () => stop('SIGINT', 0));
  daemon = await startDaemon({
    config,
    logger,
    lifelines: watchLifelines,
    onFatal: (err) => {
      logger.fatal({ err, code: err.code }, 'lost the bus');
      stop('bus lost', 1);
    },
  });
  logger.info({ ...daemon.backends, startMs: Date.now() - startedAt }, 'patchpaneld ready');
}

main().catch((err: unknown) => {
  pino({ name: 'patchpaneld' }).fatal(
    { err, code: err instanceof ManagerError ? err.code : undefined },
    'cannot start',
  );
  process.exit(1);
});
