#!/usr/bin/env node
import { runStandaloneProcess } from '@patchpanel/ipc';
import pino from 'pino';
import { startMcastd } from './standalone/start';

// mcastd <physical_ifname> <guest_ifname>: mDNS and SSDP forwarding without a manager (the original's Termina daemon).
const logger = pino({ name: 'mcastd', level: process.env.PP_LOG_LEVEL ?? 'info' });
void runStandaloneProcess({
  logger,
  usage: 'mcastd <physical_ifname> <guest_ifname>',
  start: (upstream, guest) => startMcastd({ upstream, guest, logger }),
});
