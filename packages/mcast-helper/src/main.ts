import { HelperKind, readDeviceMessage, runHelperProcess } from '@patchpanel/ipc';
import pino from 'pino';
import { allForwarders } from './proxy/all-forwarders';
import { ForwardingService } from './proxy/forwarding-service';
import { createBroadcastIo } from './system/broadcast-io';
import { openMulticastSystem } from './system/multicast-system';

const COUNTERS_LOG_INTERVAL_MS = 60_000;

const logger = pino({ name: 'mcast-helper', level: process.env.PP_LOG_LEVEL ?? 'info' });
const system = openMulticastSystem(logger);
const broadcastIo = createBroadcastIo(system.addresses.table, logger);
const service = new ForwardingService({
  createForwarders: (upstream) => allForwarders(upstream, system, broadcastIo, logger),
  logger,
});
runHelperProcess({
  kind: HelperKind.MULTICAST_PROXY,
  logger,
  handlers: { deviceMessage: (message) => service.apply(readDeviceMessage(message)) },
  onReplayBegin: () => service.close(),
  onShutdown: () => {
    service.close();
    broadcastIo.close();
    system.close();
  },
});
setInterval(
  () => logger.debug({ counters: service.stats() }, 'forwarding counters'),
  COUNTERS_LOG_INTERVAL_MS,
).unref();
