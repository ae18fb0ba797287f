import type { ConnectNamespaceRequest } from '../api/patchpanel-api';
import { InvalidRequestError } from './errors';
import { isValidInterfaceName } from './interface-names';
import { decodeRequest, patchpanel } from './proto-codec';
import { trafficSourceFromWire } from './traffic-source';

/** What ConnectNamespace validation needs from the world; injected so the rules stay testable without root. */
export interface ConnectNamespaceChecks {
  /** The daemon's own pid, which can never be connected. */
  readonly ownPid: number;
  /** Whether `pid` names a live process whose network namespace can be entered. */
  readonly pidExists: (pid: number) => boolean;
}

/**
 * Decodes and validates ConnectNamespace (spec §7.1 plus design §3.5): a lifeline fd, a pid > 1 that is not ours
 * and is alive, a known traffic source (UNKNOWN means SYSTEM), an outbound device that passes the
 * interface-name rule. Throws UndecodableRequestError or InvalidRequestError; the caller owns `fd` until
 * this returns.
 */
export function parseConnectNamespaceRequest(
  bytes: Uint8Array,
  fd: number | undefined,
  checks: ConnectNamespaceChecks,
): ConnectNamespaceRequest {
  const message = decodeRequest(patchpanel.ConnectNamespaceRequest, bytes);
  if (fd === undefined || !Number.isInteger(fd) || fd < 0) {
    throw new InvalidRequestError('fd', 'the lifeline fd is missing');
  }
  const source = trafficSourceFromWire(message.trafficSource);
  if (source === undefined) {
    throw new InvalidRequestError('traffic_source', `unknown value ${message.trafficSource}`);
  }
  const device = message.outboundPhysicalDevice;
  if (!isValidInterfaceName(device)) {
    throw new InvalidRequestError(
      'outbound_physical_device',
      `${JSON.stringify(device)} is not an interface name`,
    );
  }
  const { pid } = message;
  if (pid <= 1) throw new InvalidRequestError('pid', `${pid} cannot be connected (must be > 1)`);
  if (pid === checks.ownPid) throw new InvalidRequestError('pid', `${pid} is the daemon itself`);
  if (!checks.pidExists(pid)) throw new InvalidRequestError('pid', `no process ${pid}`);
  return {
    pid,
    outboundPhysicalDevice: device === '' ? undefined : device,
    allowUserTraffic: message.allowUserTraffic,
    routeOnVpn: message.routeOnVpn,
    trafficSource: source === 'unknown' ? 'system' : source,
    lifelineFd: fd,
  };
}
