import type { TrafficSource } from '../../../src/api/patchpanel-api';
import { trafficSourceFromWire, trafficSourceToWire } from '../../../src/dbus/traffic-source';

describe('traffic sources between the snapshot proto (spec §2.4) and the fwmark names (spec §5.3)', () => {
  test.each<[TrafficSource, number]>([
    ['unknown', 0],
    ['chrome', 1],
    ['user', 2],
    ['arc', 3],
    ['crosvm', 4],
    ['pluginvm', 5],
    ['update_engine', 6],
    ['host_vpn', 7],
    ['system', 8],
  ])('%s is %d both ways', (source, wire) => {
    expect(trafficSourceToWire(source)).toBe(wire);
    expect(trafficSourceFromWire(wire)).toBe(source);
  });

  test('the sources without a proto value report as SYSTEM and VPN', () => {
    expect(trafficSourceToWire('tether_downstream')).toBe(8);
    expect(trafficSourceToWire('arc_vpn')).toBe(7);
  });

  test.each([9, 13, -1, 2 ** 31 - 1])('%d is no source', (wire) => {
    expect(trafficSourceFromWire(wire)).toBeUndefined();
  });
});
