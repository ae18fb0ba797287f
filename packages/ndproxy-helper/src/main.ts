import { HelperKind, readDeviceMessage, runHelperProcess } from '@patchpanel/ipc';
import pino from 'pino';
import { ProxyService } from './helper/proxy-service';
import { systemProxies } from './system/components';

const logger = pino({ name: 'ndproxy-helper', level: process.env.PP_LOG_LEVEL ?? 'info' });
const proxies = systemProxies(logger);
const service: ProxyService = new ProxyService({
  createProxy: (onEvent) => proxies.create(onEvent),
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
    proxies.close();
  },
});
