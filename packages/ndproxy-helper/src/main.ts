import { HelperKind, readDeviceMessage, runHelperProcess } from '@patchpanel/ipc';
import pino from 'pino';
import { ProxyService } from './helper/proxy-service';
import { NdProxy } from './proxy';
import { systemComponents } from './system/components';

const logger = pino({ name: 'ndproxy-helper', level: process.env.PP_LOG_LEVEL ?? 'info' });
const service: ProxyService = new ProxyService({
  createProxy: (onEvent) => new NdProxy(systemComponents(logger, onEvent)),
  send: (envelope) => channel.send(envelope),
  logger,
});
const channel = runHelperProcess({
  kind: HelperKind.ND_PROXY,
  logger,
  handlers: { deviceMessage: (message) => service.apply(readDeviceMessage(message)) },
  onReplayBegin: () => service.reset(),
  onShutdown: () => service.close(),
});
