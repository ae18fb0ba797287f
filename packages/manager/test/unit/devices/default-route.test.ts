import fc from 'fast-check';
import { defaultRouteIfindex } from '../../../src/devices/default-route';
import { connected, defaultVia, route } from '../../support/kernel-fixtures';

describe('defaultRouteIfindex', () => {
  test('the lowest-metric IPv4 default route wins', () => {
    expect(
      defaultRouteIfindex([defaultVia(2, '198.51.100.1', 200), defaultVia(3, '198.51.101.1', 100)]),
    ).toBe(3);
  });

  test('equal metrics: the lowest ifindex, whatever the order', () => {
    const a = defaultVia(5, '198.51.100.1', 100);
    const b = defaultVia(4, '198.51.101.1', 100);
    expect(defaultRouteIfindex([a, b])).toBe(4);
    expect(defaultRouteIfindex([b, a])).toBe(4);
  });

  test('IPv6 only when there is no IPv4 default route', () => {
    const v6 = defaultVia(7, 'fe80::1', 1024, 6);
    expect(defaultRouteIfindex([v6, defaultVia(2, '198.51.100.1', 5000)])).toBe(2);
    expect(defaultRouteIfindex([v6, connected(2, '198.51.100.0', 24)])).toBe(7);
  });

  test('ignores other tables, non-unicast defaults, routes without an interface, non-default routes', () => {
    expect(
      defaultRouteIfindex([
        route({ table: 1002, oif: 9 }),
        route({ type: 7, oif: undefined }), // unreachable default
        route({ oif: undefined, gateway: '198.51.100.1' }),
        connected(3, '198.51.100.0', 24),
      ]),
    ).toBeUndefined();
  });

  test('a multipath default route counts with its first hop', () => {
    expect(
      defaultRouteIfindex([route({ multipath: true, oif: 6, metric: 1 }), defaultVia(2, '1.1.1.1', 9)]),
    ).toBe(6);
  });

  test('property: the chosen interface carries a minimal-metric IPv4 main default route', () => {
    const arbitraryRoute = fc.record({
      family: fc.constantFrom(4 as const, 6 as const),
      table: fc.constantFrom(254, 255, 1002),
      dstLen: fc.constantFrom(0, 0, 24),
      metric: fc.integer({ min: 0, max: 3 }),
      oif: fc.integer({ min: 1, max: 6 }),
      type: fc.constantFrom(1, 1, 7),
    });
    fc.assert(
      fc.property(fc.array(arbitraryRoute, { maxLength: 12 }), (fields) => {
        const routes = fields.map((f) => route(f));
        const chosen = defaultRouteIfindex(routes);
        const candidates = routes.filter((r) => r.table === 254 && r.dstLen === 0 && r.type === 1);
        const v4 = candidates.filter((r) => r.family === 4);
        const pool = v4.length > 0 ? v4 : candidates;
        if (pool.length === 0) return chosen === undefined;
        const best = Math.min(...pool.map((r) => r.metric));
        return pool.some((r) => r.oif === chosen && r.metric === best);
      }),
    );
  });
});
