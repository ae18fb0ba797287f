#!/usr/bin/env node
import pino from 'pino';
import { loadDaemonConfig } from './config/daemon-config';
import { ManagerError } from './errors';
import { helperCatalog } from './helpers/helper-catalog';
import { resolveHelperIdentity } from './helpers/identity';
import { selectJail } from './helpers/jail/select-jail';
import { HelperSupervisor } from './helpers/supervisor';

async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = await loadDaemonConfig(process.argv.slice(2));
  const logger = pino({ name: 'patchpaneld', level: config.logLevel });
  const jail = await selectJail(config.jail);
  const identity = await resolveHelperIdentity(config.helperUser);
  const supervisor = new HelperSupervisor({
    specs: helperCatalog(),
    jail,
    identity,
    logger,
    backoff: config.restart,
    readyTimeoutMs: config.helperReadyTimeoutMs,
    helperLogLevel: config.logLevel,
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    supervisor.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  await supervisor.start();
  logger.info(
    { pid: process.pid, jail: jail.kind, identity, startMs: Date.now() - startedAt },
    'patchpaneld ready',
  );
}

main().catch((err: unknown) => {
  pino({ name: 'patchpaneld' }).fatal(
    { err, code: err instanceof ManagerError ? err.code : undefined },
    'cannot start',
  );
  process.exit(1);
});
