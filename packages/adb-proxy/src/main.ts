import { HelperKind, runHelperProcess } from '@patchpanel/ipc';
import pino from 'pino';
import { AdbProxy } from './adb-proxy';
import { CONFIG_ENV, parseConfig } from './config';

const logger = pino({ name: 'adb-proxy', level: process.env.PP_LOG_LEVEL ?? 'info' });
const proxy = new AdbProxy({ config: parseConfig(process.env[CONFIG_ENV]), log: logger });
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
