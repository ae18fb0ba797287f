import { HelperKind, runHelperProcess } from '@patchpanel/ipc';
import pino from 'pino';

// The proxy itself arrives with the IPv6 issue; until then the helper keeps its channel and receives its state.
runHelperProcess({
  kind: HelperKind.ND_PROXY,
  logger: pino({ name: 'ndproxy-helper', level: process.env.PP_LOG_LEVEL ?? 'info' }),
  handlers: {},
});
