import { HelperKind, readDeviceMessage, runHelperProcess } from '@patchpanel/ipc';
import pino from 'pino';
import { ProxyService } from './helper/proxy-service';
import { NdProxy, NeighbourCache } from './proxy';
import { systemComponents } from './system/components';
import { openNeighbourFeed } from './system/neighbour-feed';

const logger = pino({ name: 'ndproxy-helper', level: process.env.PP_LOG_LEVEL ?? 'info' });
// The kernel's table outlives a replay: a reset proxy keeps using it.
const neighbours = new NeighbourCache();
const feed = openNeighbourFeed(neighbours, logger);
const service: ProxyService = new ProxyService({
  createProxy: (onEvent) => new NdProxy(systemComponents(logger, neighbours, onEvent)),
  send: (envelope) => channel.send(envelope),
  logger,
});
const channel = runHelperProcess({
  kind: HelperKind.ND_PROXY,
  logger,
  handlers: { deviceMessage: (message) => service.apply(readDeviceMessage(message)) },
  onReplayBegin: () => service.reset(),
  onShutdown: () => {
    service.close();
    feed.close();
  },
});
