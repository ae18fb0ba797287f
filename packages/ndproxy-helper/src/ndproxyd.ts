#!/usr/bin/env node
import { runStandaloneProcess } from '@patchpanel/ipc';
import pino from 'pino';
import { startStandalone } from './standalone/start';

// ndproxyd <physical_ifname> <guest_ifname>: the ND proxy without a manager (the original's Termina daemon).
const logger = pino({ name: 'ndproxyd', level: process.env.PP_LOG_LEVEL ?? 'info' });
void runStandaloneProcess({
  logger,
  usage: 'ndproxyd <physical_ifname> <guest_ifname>',
  start: (upstream, guest) => startStandalone({ upstream, guest, logger }),
});
