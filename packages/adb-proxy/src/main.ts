import { HelperKind, runHelperProcess } from '@patchpanel/ipc';
import pino from 'pino';
import { AdbProxy } from './adb-proxy';
import { type AdbProxyConfig, CONFIG_ENV, parseConfig } from './config';

const logger = pino({ name: 'adb-proxy', level: process.env.PP_LOG_LEVEL ?? 'info' });
let config: AdbProxyConfig;
try {
  config = parseConfig(process.env[CONFIG_ENV]);
} catch (err) {
  logger.fatal({ err }, 'bad configuration');
  process.exit(1);
}
const proxy = new AdbProxy({ config, log: logger });
runHelperProcess({
  kind: HelperKind.ADB_PROXY,
  logger,
  handlers: {
    guestMessage: (message) => proxy.onGuestMessage(message),
    adbPolicyMessage: (message) => proxy.onPolicy(message.allowed),
  },
  onReplayBegin: () => proxy.reset(),
  onShutdown: () => proxy.reset(),
});
