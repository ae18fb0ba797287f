import {
  findOwned,
  ownerId,
  parseSave,
  planRemoveFound,
  planReplace,
  planReset,
  renderRestoreScript,
} from '../../../src/datapath/firewall';
import { namespace } from '../../support/firewall-fixtures';

test('a replaced owner refills its kept chains in place and drops only what it no longer declares', () => {
  const previous = namespace(1);
  const next = namespace(1, { routeOnVpn: false, outbound: { ifname: 'eth0', ifindex: 2 } });
  const ipv4 = renderRestoreScript(planReplace(previous, next, 'ipv4'));
  expect(ipv4).toContain(':pp_ns1_PREROUTING - [0:0]');
  expect(ipv4).toContain(
    '-A pp_ns1_PREROUTING -i arc_ns1 -m comment --comment pp:ns1 -j MARK --set-mark 0x03ea0000/0xffff0000',
  );
  expect(ipv4).toContain('-A pp_ns1_FORWARD -i eth0 -o arc_ns1 -m comment --comment pp:ns1 -j ACCEPT');
  expect(ipv4).not.toMatch(/-[AID] pp_(PREROUTING|POSTROUTING|FORWARD) /); // the jumps stay where they are
  expect(ipv4).not.toMatch(/^-[FX] /m);
});

test('a replaced owner unhooks and deletes the chains it dropped, and re-hooks when its position moves', () => {
  const previous = namespace(1);
  const onlyForward = { ...previous, rules: previous.rules.filter((r) => r.table === 'filter'), key: 'x' };
  const dropped = renderRestoreScript(planReplace(previous, onlyForward, 'ipv4'));
  expect(dropped).toContain(
    '-D pp_PREROUTING -m comment --comment pp:ns1 -j pp_ns1_PREROUTING\n-F pp_ns1_PREROUTING\n-X pp_ns1_PREROUTING',
  );
  const moved = renderRestoreScript(
    planReplace(previous, { ...previous, position: 'first', key: 'y' }, 'ipv4'),
  );
  expect(moved).toContain(
    '-D pp_FORWARD -m comment --comment pp:ns1 -j pp_ns1_FORWARD\n-I pp_FORWARD 1 -m comment --comment pp:ns1 -j pp_ns1_FORWARD',
  );
});

const FOUND = findOwned(
  parseSave(
    [
      '*filter',
      ':FORWARD ACCEPT [0:0]',
      ':pp_FORWARD - [0:0]',
      ':pp_ns1_FORWARD - [0:0]',
      ':pp_ns10_FORWARD - [0:0]',
      '-A FORWARD -m comment --comment "pp:base" -j pp_FORWARD',
      '-A pp_FORWARD -j pp_ns1_FORWARD',
      '-A pp_FORWARD -j pp_ns10_FORWARD',
      'COMMIT',
    ].join('\n'),
  ),
);

test('removal of what was found selects by owner, and ns1 never claims ns10', () => {
  const script = renderRestoreScript(planRemoveFound('ipv4', FOUND, (c) => c.startsWith('pp_ns1_')));
  expect(script).toBe(
    '*filter\n-D pp_FORWARD -j pp_ns1_FORWARD\n-F pp_ns1_FORWARD\n-X pp_ns1_FORWARD\nCOMMIT\n',
  );
});

test('reset deletes jumps from outside, then every chain of ours, then builds the top-level chains', () => {
  const script = renderRestoreScript(planReset('ipv4', FOUND, ownerId('base')));
  const filter = script.slice(script.indexOf('*filter'));
  expect(filter).toBe(
    [
      '*filter',
      '-D FORWARD -m comment --comment "pp:base" -j pp_FORWARD',
      '-F pp_FORWARD',
      '-F pp_ns1_FORWARD',
      '-F pp_ns10_FORWARD',
      '-X pp_FORWARD',
      '-X pp_ns1_FORWARD',
      '-X pp_ns10_FORWARD',
      ':pp_INPUT - [0:0]',
      ':pp_FORWARD - [0:0]',
      ':pp_OUTPUT - [0:0]',
      '-I INPUT 1 -m comment --comment pp:base -j pp_INPUT',
      '-I FORWARD 1 -m comment --comment pp:base -j pp_FORWARD',
      '-I OUTPUT 1 -m comment --comment pp:base -j pp_OUTPUT',
      'COMMIT',
      '',
    ].join('\n'),
  );
  expect(script.indexOf('*mangle')).toBeLessThan(script.indexOf('*nat'));
  expect(script.indexOf('*nat')).toBeLessThan(script.indexOf('*filter'));
});
