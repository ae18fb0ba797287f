import { HelperKind, runHelperProcess } from '@patchpanel/ipc';
import pino from 'pino';

// The relay arrives with the ADB issue; until then the helper keeps its channel and receives guest events.
runHelperProcess({
  kind: HelperKind.ADB_PROXY,
  logger: pino({ name: 'adb-proxy', level: process.env.PP_LOG_LEVEL ?? 'info' }),
  handlers: {},
});
