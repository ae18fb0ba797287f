import fc from 'fast-check';
import { formatIpv4, isIpv4, parseIpv4 } from '../../../src/addressing/ipv4';
import { SubnetPool, standardPools } from '../../../src/addressing/subnet-pool';

describe('IPv4 text', () => {
  test('round trips every address', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (v) => parseIpv4(formatIpv4(v)) === v));
  });

  test.each([
    '1.2.3',
    '1.2.3.4.5',
    '01.2.3.4',
    '256.1.1.1',
    ' 1.2.3.4',
    '1.2.3.4/24',
    '',
    'a.b.c.d',
    '1..2.3',
  ])('rejects %j', (text) => {
    expect(isIpv4(text)).toBe(false);
    expect(() => parseIpv4(text)).toThrow(expect.objectContaining({ code: 'PP_ERR_ADDRESSING' }));
  });
});

describe('SubnetPool', () => {
  test('the documented addresses of each pool (spec §3.1)', () => {
    const arc = new SubnetPool(standardPools.arc).allocate();
    expect([arc.addressAt(0), arc.addressAt(1), arc.broadcast]).toEqual([
      '100.115.92.1',
      '100.115.92.2',
      '100.115.92.3',
    ]);
    const ns = new SubnetPool(standardPools.connectedNamespace).allocate();
    expect(ns.cidr).toEqual({ base: '100.115.92.128', prefixLength: 30 });
    expect([ns.addressAt(0), ns.addressAt(1)]).toEqual(['100.115.92.129', '100.115.92.130']);
    const termina = new SubnetPool(standardPools.terminaVm).allocate();
    expect([termina.addressAt(0), termina.addressAt(1)]).toEqual(['100.115.92.25', '100.115.92.26']);
    expect(new SubnetPool(standardPools.container).allocate().cidr).toEqual({
      base: '100.115.92.192',
      prefixLength: 28,
    });
    const plugin = new SubnetPool(standardPools.pluginVm).allocate(3);
    expect(plugin.cidr).toEqual({ base: '100.115.93.16', prefixLength: 29 });
  });

  test('hands out the lowest free index, fails cleanly when exhausted, and reuses released subnets', () => {
    const pool = new SubnetPool(standardPools.connectedNamespace);
    const subnets = Array.from({ length: 16 }, () => pool.allocate());
    expect(subnets.map((s) => s.index)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(subnets.at(-1)!.cidr.base).toBe('100.115.92.188');
    expect(() => pool.allocate()).toThrow(expect.objectContaining({ code: 'PP_ERR_SUBNET_EXHAUSTED' }));
    subnets[4]!.release();
    expect(pool.available).toBe(1);
    expect(pool.allocate().cidr.base).toBe('100.115.92.144');
  });

  test('only the PluginVM pool takes an explicit index, within range and free', () => {
    expect(() => new SubnetPool(standardPools.terminaVm).allocate(2)).toThrow(/does not take an index/);
    const pool = new SubnetPool(standardPools.pluginVm);
    pool.allocate(32);
    expect(() => pool.allocate(32)).toThrow(expect.objectContaining({ code: 'PP_ERR_SUBNET_EXHAUSTED' }));
    expect(() => pool.allocate(33)).toThrow(/has no subnet 33/);
    expect(() => pool.allocate(-1)).toThrow(/has no subnet/);
  });

  test('offsets stay inside the subnet', () => {
    const subnet = new SubnetPool(standardPools.container).allocate();
    expect(subnet.addressAt(13)).toBe('100.115.92.206');
    expect(() => subnet.addressAt(14)).toThrow(/outside/);
    expect(() => subnet.addressAt(-1)).toThrow(/outside/);
  });

  test.each([
    [{ name: 'x', base: '10.0.0.1', prefixLength: 30, count: 1 }, /not aligned/],
    [{ name: 'x', base: '10.0.0.0', prefixLength: 31, count: 1 }, /not usable/],
    [{ name: 'x', base: '255.255.255.252', prefixLength: 30, count: 2 }, /do not fit/],
    [{ name: 'x', base: '10.0.0.0', prefixLength: 30, count: 0 }, /do not fit/],
  ])('rejects a malformed pool %j', (spec, message) => {
    expect(() => new SubnetPool(spec)).toThrow(message);
  });
});
