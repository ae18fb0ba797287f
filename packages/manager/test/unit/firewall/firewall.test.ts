import {
  createFakeBackend,
  createFirewall,
  type FakeFirewallBackend,
  type Firewall,
  FirewallApplyError,
  FirewallTeardownError,
  jump,
  ownerId,
  ruleSet,
  topChain,
} from '../../../src/datapath/firewall';
import { base, dumpAll, forwarding, namespace, silentLog } from '../../support/firewall-fixtures';

async function setup(): Promise<{ backend: FakeFirewallBackend; firewall: Firewall; baseOnly: string }> {
  const backend = createFakeBackend();
  const firewall = createFirewall({ backend, log: silentLog });
  await firewall.start(base());
  return { backend, firewall, baseOnly: await dumpAll(backend) };
}

async function rejection(work: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await work;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

describe('state checks before any transaction', () => {
  test('nothing is applied before start', async () => {
    const backend = createFakeBackend();
    const firewall = createFirewall({ backend, log: silentLog });
    expect((await rejection(firewall.apply(namespace(1)))).code).toBe('PP_ERR_FIREWALL_STATE');
    expect(backend.transactions).toHaveLength(0);
  });

  test("a jump to another owner's chain that is not applied is refused", async () => {
    const { backend, firewall } = await setup();
    const b = ruleSet('ns9', 'last');
    b.add('both', 'mangle', 'PREROUTING', [], jump('pp_vpnx_mark' as Parameters<typeof jump>[0]));
    const count = backend.transactions.length;
    expect((await rejection(firewall.apply(b.build()))).code).toBe('PP_ERR_FIREWALL_STATE');
    expect(backend.transactions).toHaveLength(count);
  });

  test('an owner others jump to cannot be removed, nor replaced without that chain', async () => {
    const { firewall } = await setup();
    await firewall.apply(namespace(1)); // route_on_vpn: jumps to pp_base_vpn_mark
    expect((await rejection(firewall.remove(ownerId('base')))).code).toBe('PP_ERR_FIREWALL_STATE');
    const withoutVpn = {
      ...base(),
      rules: base().rules.filter((r) => r.chain !== 'vpn_mark' && r.rule.target.kind !== 'jump'),
      key: 'z',
    };
    expect((await rejection(firewall.apply(withoutVpn))).code).toBe('PP_ERR_FIREWALL_STATE');
    expect(await firewall.apply(base(7))).toBe('replaced'); // still has the chain: fine
  });
});

describe('a failed apply is rolled back', () => {
  test('IPv6 fails after IPv4 succeeded: IPv4 is removed again', async () => {
    const { backend, firewall, baseOnly } = await setup();
    backend.failNext('ipv6', 'mangle');
    const err = await rejection(firewall.apply(namespace(1)));
    expect(err).toBeInstanceOf(FirewallApplyError);
    expect(err.code).toBe('PP_ERR_FIREWALL_APPLY');
    expect((err as FirewallApplyError).rollbackErrors).toEqual([]);
    expect(await dumpAll(backend)).toBe(baseOnly);
    expect(firewall.ruleSet(ownerId('ns1'))).toBeUndefined();
  });

  test('filter fails after mangle and nat committed in the same family', async () => {
    const { backend, firewall, baseOnly } = await setup();
    backend.failNext('ipv4', 'filter');
    await rejection(firewall.apply(namespace(1)));
    expect(await dumpAll(backend)).toBe(baseOnly);
  });

  test('a failed replace puts the previous rule set back', async () => {
    const { backend, firewall } = await setup();
    await firewall.apply(namespace(1));
    const before = await dumpAll(backend);
    backend.failNext('ipv6', 'mangle');
    await rejection(firewall.apply(namespace(1, { trafficSource: 'arc' })));
    expect(await dumpAll(backend)).toBe(before);
    expect(firewall.ruleSet(ownerId('ns1'))?.key).toBe(namespace(1).key);
  });
});

describe('removal', () => {
  test('when the planned removal fails (a jump deleted by hand), what exists is found and removed', async () => {
    const { backend, firewall, baseOnly } = await setup();
    await firewall.apply(forwarding(1, 8022, '100.115.92.130', 22));
    const chain = 'pp_port1_FORWARD' as Parameters<typeof jump>[0];
    await backend.commit({
      family: 'ipv4',
      batches: [
        {
          table: 'filter',
          ops: [
            {
              op: 'delete',
              chain: topChain('FORWARD'),
              rule: { matches: [], target: jump(chain) },
              tag: ownerId('port1'),
            },
          ],
        },
      ],
    });
    await firewall.remove(ownerId('port1'));
    expect(await dumpAll(backend)).toBe(baseOnly);
  });

  test('every family is attempted and every failure collected', async () => {
    const { backend, firewall } = await setup();
    await firewall.apply(namespace(1));
    backend.failNext('ipv4', 'filter'); // the planned removal
    backend.failNext('ipv4', 'filter'); // and the removal of what was found
    const err = await rejection(firewall.remove(ownerId('ns1')));
    expect(err).toBeInstanceOf(FirewallTeardownError);
    expect((err as FirewallTeardownError).errors).toHaveLength(1);
    expect(await backend.dump('ipv6')).not.toContain('ns1');
    expect(firewall.ruleSet(ownerId('ns1'))).toBeDefined(); // kept, so a retry knows it
    await firewall.remove(ownerId('ns1'));
    expect(await dumpAll(backend)).not.toContain('ns1');
  });

  test('stop collects the failure of one family and still clears the other', async () => {
    const { backend, firewall } = await setup();
    backend.failNext('ipv4', 'filter');
    const err = await rejection(firewall.stop());
    expect(err.code).toBe('PP_ERR_FIREWALL_TEARDOWN');
    expect(await backend.dump('ipv6')).not.toContain('pp_');
  });
});

test('concurrent calls are serialised: 20 parallel applies equal 20 sequential ones', async () => {
  const parallel = await setup();
  await Promise.all(Array.from({ length: 20 }, (_, i) => parallel.firewall.apply(namespace(i))));
  const sequential = await setup();
  for (let i = 0; i < 20; i += 1) await sequential.firewall.apply(namespace(i));
  expect(await dumpAll(parallel.backend)).toBe(await dumpAll(sequential.backend));
  expect(parallel.firewall.ruleSets()).toHaveLength(21);
});

test('a firewall limited to IPv4 writes nothing for IPv6', async () => {
  const backend = createFakeBackend();
  const firewall = createFirewall({ backend, log: silentLog, families: ['ipv4'] });
  await firewall.start(base());
  await firewall.apply(namespace(1));
  expect(backend.transactions.every((tx) => tx.family === 'ipv4')).toBe(true);
  expect(await backend.dump('ipv6')).not.toContain('pp_');
});
