#!/usr/bin/env node
import pino from 'pino';
import { loadDaemonConfig } from './config/daemon-config';
import { claimServiceName } from './dbus/service-bus';
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
  const stop = (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping');
    supervisor.stop().then(
      () => process.exit(exitCode),
      (err: unknown) => {
        logger.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM', 0));
  process.on('SIGINT', () => stop('SIGINT', 0));

  // The name first: a second daemon must fail before it starts helpers of its own.
  const bus = await claimServiceName(config.busAddress, (err) => {
    logger.fatal({ err, code: err.code }, 'lost the bus');
    stop('bus lost', 1);
  });
  process.once('exit', () => bus.disconnect());
  await supervisor.start();
  logger.info({ jail: jail.kind, identity, startMs: Date.now() - startedAt }, 'patchpaneld ready');
}

main().catch((err: unknown) => {
  pino({ name: 'patchpaneld' }).fatal(
    { err, code: err instanceof ManagerError ? err.code : undefined },
    'cannot start',
  );
  process.exit(1);
});
