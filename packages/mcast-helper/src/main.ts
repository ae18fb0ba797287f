import { HelperKind, runHelperProcess } from '@patchpanel/ipc';
import pino from 'pino';

// The forwarders arrive with the service-discovery issue; until then the helper keeps its channel and state.
runHelperProcess({
  kind: HelperKind.MULTICAST_PROXY,
  logger: pino({ name: 'mcast-helper', level: process.env.PP_LOG_LEVEL ?? 'info' }),
  handlers: {},
});
