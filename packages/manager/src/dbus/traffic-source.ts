import type { TrafficSource } from '../api/patchpanel-api';
import { patchpanel } from './proto-codec';

const Source = patchpanel.TrafficCounter.Source;
export type WireTrafficSource = patchpanel.TrafficCounter.Source;

/** The snapshot's proto enum (spec §2.4) to the fwmark sources (spec §5.3): VPN is the host's VPN. */
const fromWire: ReadonlyMap<number, TrafficSource> = new Map([
  [Source.UNKNOWN, 'unknown'],
  [Source.CHROME, 'chrome'],
  [Source.USER, 'user'],
  [Source.ARC, 'arc'],
  [Source.CROSVM, 'crosvm'],
  [Source.PLUGINVM, 'pluginvm'],
  [Source.UPDATE_ENGINE, 'update_engine'],
  [Source.VPN, 'host_vpn'],
  [Source.SYSTEM, 'system'],
]);

/** The internal sources to the proto enum; the two without a proto value report as SYSTEM and VPN. */
const toWire: Readonly<Record<TrafficSource, WireTrafficSource>> = {
  unknown: Source.UNKNOWN,
  chrome: Source.CHROME,
  user: Source.USER,
  arc: Source.ARC,
  crosvm: Source.CROSVM,
  pluginvm: Source.PLUGINVM,
  update_engine: Source.UPDATE_ENGINE,
  host_vpn: Source.VPN,
  system: Source.SYSTEM,
  tether_downstream: Source.SYSTEM,
  arc_vpn: Source.VPN,
};

/** undefined for a number outside the enum (proto3 enums are open: any int32 decodes). */
export function trafficSourceFromWire(value: number): TrafficSource | undefined {
  return fromWire.get(value);
}

export function trafficSourceToWire(source: TrafficSource): WireTrafficSource {
  return toWire[source];
}
