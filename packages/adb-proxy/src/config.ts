import { isIPv4 } from 'node:net';
import path from 'node:path';
import { AdbConfigError, AdbProxyError } from './errors';

/** The environment variable the manager passes the configuration in (JSON). */
export const CONFIG_ENV = 'PP_ADB_PROXY_CONFIG';

/** How bytes cross the relay: splice(2) through a pipe in the kernel, or Node streams. */
export type RelayKind = 'splice' | 'stream';

/** Where adbd of the Android guest is reached; the manager's `adb` config section, without the policy. */
export interface AdbProxyConfig {
  /** ARC++: adbd's Unix socket, as the host sees it. */
  readonly containerSocket: string;
  /** Both guests, after the Unix socket for ARC++: adbd over the guest's management address. */
  readonly tcpTarget: { readonly address: string; readonly port: number };
  /** A target that has not accepted by then counts as failed. */
  readonly connectTimeoutMs: number;
  /** Connections relayed at once; more are refused with a log line. Undefined: no cap. */
  readonly maxConnections: number | undefined;
  readonly relay: RelayKind;
}

export const DEFAULT_CONFIG: AdbProxyConfig = {
  containerSocket: '/run/arc/adb/adb.sock',
  tcpTarget: { address: '100.115.92.2', port: 5555 },
  connectTimeoutMs: 5_000,
  maxConnections: undefined,
  relay: 'splice',
};

const KEYS = new Set(Object.keys(DEFAULT_CONFIG));
const TARGET_KEYS = new Set(Object.keys(DEFAULT_CONFIG.tcpTarget));
/** sun_path holds 108 bytes, the last a NUL. */
const MAX_SOCKET_PATH_BYTES = 107;

function invalid(field: string, why: string): AdbConfigError {
  return new AdbConfigError(field, why, `${CONFIG_ENV}: ${field} ${why}`);
}

function integer(value: unknown, field: string, max: number): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > max)
    throw invalid(field, `must be an integer in 1..${max}`);
  return value as number;
}

/** An object whose keys are all in `known` and none null (null is not "absent": it is refused, not defaulted). */
function record(
  value: unknown,
  field: string | undefined,
  known: ReadonlySet<string>,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(field ?? 'the value', 'must be an object');
  const name = (key: string) => (field === undefined ? key : `${field}.${key}`);
  const entries = Object.entries(value);
  const unknown = entries.filter(([key]) => !known.has(key)).map(([key]) => name(key));
  if (unknown.length > 0) throw invalid(unknown.join(', '), 'is not a known key');
  const nulls = entries.filter(([, v]) => v === null).map(([key]) => name(key));
  if (nulls.length > 0) throw invalid(nulls.join(', '), 'must not be null');
  return value as Record<string, unknown>;
}

/** Parses the manager's JSON (see checkConfig). */
export function parseConfig(text: string | undefined): AdbProxyConfig {
  if (text === undefined || text === '') return DEFAULT_CONFIG;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new AdbProxyError('PP_ERR_ADB_CONFIG', `${CONFIG_ENV} is not JSON`, { cause });
  }
  return checkConfig(raw);
}

/**
 * The configuration in `raw`: absent keys take the defaults, anything else unexpected is an AdbConfigError
 * naming the field. The manager checks its `adb` section with this too, so both ends agree on every bound.
 */
export function checkConfig(raw: unknown): AdbProxyConfig {
  const value = record(raw, undefined, KEYS);

  const socket = value.containerSocket ?? DEFAULT_CONFIG.containerSocket;
  if (
    typeof socket !== 'string' ||
    !path.isAbsolute(socket) ||
    Buffer.byteLength(socket) > MAX_SOCKET_PATH_BYTES ||
    socket.includes('\0')
  )
    throw invalid('containerSocket', `must be an absolute path of at most ${MAX_SOCKET_PATH_BYTES} bytes`);
  const target = record(value.tcpTarget ?? DEFAULT_CONFIG.tcpTarget, 'tcpTarget', TARGET_KEYS);
  const address = target.address ?? DEFAULT_CONFIG.tcpTarget.address;
  if (typeof address !== 'string' || !isIPv4(address))
    throw invalid('tcpTarget.address', 'must be an IPv4 address');
  const relay = value.relay ?? DEFAULT_CONFIG.relay;
  if (relay !== 'splice' && relay !== 'stream') throw invalid('relay', "must be 'splice' or 'stream'");
  const max = value.maxConnections;
  return {
    containerSocket: socket,
    tcpTarget: {
      address,
      port: integer(target.port ?? DEFAULT_CONFIG.tcpTarget.port, 'tcpTarget.port', 65_535),
    },
    connectTimeoutMs: integer(
      value.connectTimeoutMs ?? DEFAULT_CONFIG.connectTimeoutMs,
      'connectTimeoutMs',
      600_000,
    ),
    maxConnections: max === undefined ? undefined : integer(max, 'maxConnections', 1_000_000),
    relay,
  };
}
