#!/usr/bin/env node
import pino from 'pino';
import { startStandalone } from './standalone/start';

// ndproxyd <physical_ifname> <guest_ifname>: the ND proxy without a manager (the original's Termina daemon).
const logger = pino({ name: 'ndproxyd', level: process.env.PP_LOG_LEVEL ?? 'info' });
const [upstream, guest] = process.argv.slice(2);

if (upstream === undefined || guest === undefined) {
  logger.error('usage: ndproxyd <physical_ifname> <guest_ifname>');
  process.exit(1);
}

startStandalone({ upstream, guest, logger }).then(
  (proxy) => {
    logger.info({ upstream, guest }, 'proxying');
    const stop = (signal: NodeJS.Signals): void => {
      proxy.close();
      logger.info({ signal, stats: proxy.stats() }, 'stopped');
      process.exit(0);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  },
  (error: unknown) => {
    logger.error({ err: error }, 'cannot start');
    process.exit(1);
  },
);
