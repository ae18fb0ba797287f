export { AdbProxy, type AdbProxyOptions } from './adb-proxy';
export {
  type AdbProxyConfig,
  CONFIG_ENV,
  checkConfig,
  DEFAULT_CONFIG,
  parseConfig,
  type RelayKind,
} from './config';
export { AdbConfigError, AdbProxyError, type AdbProxyErrorCode } from './errors';
export { type Relay, type RelayFactory, type RelayResult, relays } from './relay';
export { ADB_LISTEN, RelayServer, type RelayServerOptions } from './relay-server';
export type { AdbTarget } from './targets';
