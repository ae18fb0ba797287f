import {
  ACCEPT,
  createFirewall,
  createTransactionStore,
  DROP,
  type Firewall,
  type FirewallBackend,
  type FirewallStore,
  inInterface,
  protocol,
} from '../../src/datapath/firewall';
import {
  access,
  base,
  canonicalDump,
  dumpAll,
  forwarding,
  lockdown,
  namespace,
  silentLog,
} from './firewall-fixtures';

/** One firewall backend over one kernel (or fake), as the compliance suite drives it. */
export interface FirewallRig {
  /** A new store over the rig's kernel: a new one is what a restarted daemon gets. */
  store(): FirewallStore;
  /** Everything the kernel holds, other software's rules included, as comparable text. */
  dump(): Promise<string>;
  /** A dump with what may legitimately differ (order, counters) normalised. */
  canonical(dump: string): string;
  /** Rules of other software, which the firewall must leave as they are. */
  seedForeign(): Promise<void>;
  /** The owners the FORWARD dispatch jumps to, in order. */
  forwardOrder(): Promise<string[]>;
  /** How many kernel transactions `work` made. */
  transactions(work: () => Promise<unknown>): Promise<number>;
  /** Transactions one change of an owner with rules in `families` families takes. */
  transactionsPerChange(families: number): number;
}

/** A rig over a per-family transaction backend (iptables in a namespace, or the fake). */
export function transactionRig(backend: FirewallBackend): FirewallRig {
  let commits = 0;
  const counted: FirewallBackend = {
    name: backend.name,
    commit: (tx) => {
      commits += 1;
      return backend.commit(tx);
    },
    inspect: (family) => backend.inspect(family),
    dump: (family) => backend.dump(family),
  };
  return {
    store: () => createTransactionStore({ backend: counted, log: silentLog }),
    dump: () => dumpAll(backend),
    canonical: canonicalDump,
    seedForeign: async () => {
      for (const family of ['ipv4', 'ipv6'] as const) {
        await backend.commit({
          family,
          batches: [
            {
              table: 'filter',
              ops: [
                {
                  op: 'append',
                  chain: 'INPUT',
                  rule: { matches: [protocol('tcp', 22)], target: ACCEPT },
                  tag: undefined,
                },
                {
                  op: 'append',
                  chain: 'FORWARD',
                  rule: { matches: [inInterface('wg9')], target: DROP },
                  tag: undefined,
                },
              ],
            },
          ],
        });
      }
    },
    forwardOrder: async () =>
      (await backend.dump('ipv4'))
        .split('\n')
        .filter((line) => line.startsWith('-A pp_FORWARD '))
        .map((line) => /-j pp_(\w+?)_FORWARD$/.exec(line)?.[1] ?? ''),
    transactions: async (work) => {
      const before = commits;
      await work();
      return commits - before;
    },
    transactionsPerChange: (families) => families,
  };
}

/**
 * The contract every firewall backend keeps: run against the fake (unit), and against iptables and nftables
 * in a namespace (integration). `makeRig` gives a rig over an empty ruleset, one per test.
 */
export function firewallCompliance(name: string, makeRig: () => Promise<FirewallRig>): void {
  describe(`firewall backend compliance: ${name}`, () => {
    async function started(rig: FirewallRig): Promise<Firewall> {
      const firewall = createFirewall({ store: rig.store(), log: silentLog });
      await firewall.start(base());
      return firewall;
    }

    test('apply then remove leaves the dump identical, for every kind of owner', async () => {
      const rig = await makeRig();
      await rig.seedForeign();
      const firewall = await started(rig);
      await firewall.apply(namespace(0));
      const before = await rig.dump();
      for (const set of [
        namespace(1),
        access(1, 5555, 'eth0'),
        lockdown(2, 8080),
        forwarding(3, 8022, '100.115.92.130', 22),
      ]) {
        expect(await firewall.apply(set)).toBe('installed');
        expect(await rig.dump()).not.toBe(before);
        await firewall.remove(set.owner);
        expect(await rig.dump()).toBe(before);
      }
    });

    test('applying the same rule set twice is a no-op; a changed one replaces, never duplicates', async () => {
      const rig = await makeRig();
      const firewall = await started(rig);
      await firewall.apply(namespace(1));
      const once = await rig.dump();
      expect(
        await rig.transactions(async () => expect(await firewall.apply(namespace(1))).toBe('unchanged')),
      ).toBe(0);
      expect(await rig.dump()).toBe(once);

      const changed = namespace(1, { routeOnVpn: false, outbound: { ifname: 'eth0', ifindex: 2 } });
      expect(await firewall.apply(changed)).toBe('replaced');
      const replaced = rig.canonical(await rig.dump());
      const fresh = await started(rig);
      await fresh.apply(changed);
      expect(replaced).toBe(rig.canonical(await rig.dump()));
    });

    test('one transaction per change (per family where the backend has one per family)', async () => {
      const rig = await makeRig();
      const firewall = await started(rig);
      expect(await rig.transactions(() => firewall.apply(namespace(1)))).toBe(rig.transactionsPerChange(2));
      const port = forwarding(1, 8022, '100.115.92.130', 22);
      expect(await rig.transactions(() => firewall.apply(port))).toBe(rig.transactionsPerChange(1));
      expect(await rig.transactions(() => firewall.remove(namespace(1).owner))).toBe(
        rig.transactionsPerChange(2),
      );
    });

    test('reset after a simulated crash leaves only the base', async () => {
      const rig = await makeRig();
      const crashed = await started(rig);
      const baseOnly = await rig.dump();
      for (const set of [
        namespace(0),
        namespace(1),
        access(1, 5555),
        forwarding(2, 8022, '100.115.92.130', 22),
      ]) {
        await crashed.apply(set);
      }
      await started(rig); // the restarted daemon knows nothing of the crashed one's owners
      expect(rig.canonical(await rig.dump())).toBe(rig.canonical(baseOnly));
    });

    test('removing one owner leaves the others untouched', async () => {
      const rig = await makeRig();
      const first = await started(rig);
      await first.apply(namespace(0));
      await first.apply(access(2, 5555));
      const withoutMiddle = rig.canonical(await rig.dump());
      const second = await started(rig);
      await second.apply(namespace(0));
      await second.apply(namespace(1));
      await second.apply(access(2, 5555));
      await second.remove(namespace(1).owner);
      expect(rig.canonical(await rig.dump())).toBe(withoutMiddle);
    });

    test('an owner the firewall does not know is removed by its name', async () => {
      const rig = await makeRig();
      const crashed = await started(rig);
      const baseOnly = await rig.dump();
      await crashed.apply(namespace(4));
      const stranger = createFirewall({ store: rig.store(), log: silentLog });
      await stranger.remove(namespace(4).owner);
      await stranger.remove(namespace(5).owner); // never existed: not found is success
      expect(await rig.dump()).toBe(baseOnly);
    });

    test('a FORWARDING rule is dispatched before the namespaces even when applied after them', async () => {
      const rig = await makeRig();
      const firewall = await started(rig);
      await firewall.apply(namespace(1));
      await firewall.apply(forwarding(3, 8022, '100.115.92.134', 22));
      const order = await rig.forwardOrder();
      expect(order.indexOf('port3')).toBeGreaterThanOrEqual(0);
      expect(order.indexOf('port3')).toBeLessThan(order.indexOf('ns1'));
    });

    test('stop removes everything the daemon added and nothing else', async () => {
      const rig = await makeRig();
      await rig.seedForeign();
      const before = rig.canonical(await rig.dump());
      const firewall = await started(rig);
      await firewall.apply(namespace(0));
      await firewall.apply(lockdown(1, 8080));
      await firewall.stop();
      const after = await rig.dump();
      expect(after).not.toContain('pp_');
      expect(rig.canonical(after)).toBe(before);
    });
  });
}
