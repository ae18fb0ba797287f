import {
  ACCEPT,
  createFirewall,
  DROP,
  type FamilyTransaction,
  type Firewall,
  type FirewallBackend,
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

/** A backend that counts its transactions (one process per family per change for iptables). */
function counting(backend: FirewallBackend): FirewallBackend & { commits: FamilyTransaction[] } {
  const commits: FamilyTransaction[] = [];
  return {
    name: backend.name,
    commits,
    commit: (tx) => {
      commits.push(tx);
      return backend.commit(tx);
    },
    inspect: (family) => backend.inspect(family),
    dump: (family) => backend.dump(family),
  };
}

/** Rules someone else (the host's own firewall) has; ours must leave them as they are. */
async function seedForeignRules(backend: FirewallBackend): Promise<void> {
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
}

/**
 * The contract every firewall backend keeps, run against the fake (unit) and the real iptables backend in a
 * namespace (integration). `makeBackend` gives a backend over an empty ruleset, one per test.
 */
export function firewallBackendCompliance(name: string, makeBackend: () => Promise<FirewallBackend>): void {
  describe(`firewall backend compliance: ${name}`, () => {
    async function started(backend: FirewallBackend): Promise<Firewall> {
      const firewall = createFirewall({ backend, log: silentLog });
      await firewall.start(base());
      return firewall;
    }

    test('apply then remove leaves the dump identical, for every kind of owner', async () => {
      const backend = await makeBackend();
      await seedForeignRules(backend);
      const firewall = await started(backend);
      await firewall.apply(namespace(0));
      const before = await dumpAll(backend);
      for (const set of [
        namespace(1),
        access(1, 5555, 'eth0'),
        lockdown(2, 8080),
        forwarding(3, 8022, '100.115.92.130', 22),
      ]) {
        expect(await firewall.apply(set)).toBe('installed');
        expect(await dumpAll(backend)).not.toBe(before);
        await firewall.remove(set.owner);
        expect(await dumpAll(backend)).toBe(before);
      }
    });

    test('applying the same rule set twice is a no-op; a changed one replaces, never duplicates', async () => {
      const backend = counting(await makeBackend());
      const firewall = await started(backend);
      await firewall.apply(namespace(1));
      const once = await dumpAll(backend);
      const commits = backend.commits.length;
      expect(await firewall.apply(namespace(1))).toBe('unchanged');
      expect(backend.commits.length).toBe(commits);
      expect(await dumpAll(backend)).toBe(once);

      const changed = namespace(1, { routeOnVpn: false, outbound: { ifname: 'eth0', ifindex: 2 } });
      expect(await firewall.apply(changed)).toBe('replaced');
      const replaced = canonicalDump(await dumpAll(backend));
      const fresh = await started(backend);
      await fresh.apply(changed);
      expect(replaced).toBe(canonicalDump(await dumpAll(backend)));
    });

    test('one transaction per family per change', async () => {
      const backend = counting(await makeBackend());
      const firewall = await started(backend);
      const count = async (work: () => Promise<unknown>) => {
        const before = backend.commits.length;
        await work();
        return backend.commits.slice(before).map((tx) => tx.family);
      };
      expect(await count(() => firewall.apply(namespace(1)))).toEqual(['ipv4', 'ipv6']);
      expect(await count(() => firewall.apply(forwarding(1, 8022, '100.115.92.130', 22)))).toEqual(['ipv4']);
      expect(await count(() => firewall.remove(namespace(1).owner))).toEqual(['ipv4', 'ipv6']);
    });

    test('reset after a simulated crash leaves only the base', async () => {
      const backend = await makeBackend();
      const crashed = await started(backend);
      const baseOnly = await dumpAll(backend);
      for (const set of [
        namespace(0),
        namespace(1),
        access(1, 5555),
        forwarding(2, 8022, '100.115.92.130', 22),
      ]) {
        await crashed.apply(set);
      }
      await started(backend); // the restarted daemon knows nothing of the crashed one's owners
      expect(canonicalDump(await dumpAll(backend))).toBe(canonicalDump(baseOnly));
    });

    test('removing one owner leaves the others untouched', async () => {
      const backend = await makeBackend();
      const first = await started(backend);
      await first.apply(namespace(0));
      await first.apply(access(2, 5555));
      const withoutMiddle = canonicalDump(await dumpAll(backend));
      const second = await started(backend);
      await second.apply(namespace(0));
      await second.apply(namespace(1));
      await second.apply(access(2, 5555));
      await second.remove(namespace(1).owner);
      expect(canonicalDump(await dumpAll(backend))).toBe(withoutMiddle);
    });

    test('an owner the firewall does not know is removed by its tags', async () => {
      const backend = await makeBackend();
      const crashed = await started(backend);
      const baseOnly = await dumpAll(backend);
      await crashed.apply(namespace(4));
      const stranger = createFirewall({ backend, log: silentLog });
      await stranger.remove(namespace(4).owner);
      await stranger.remove(namespace(5).owner); // never existed: not found is success
      expect(await dumpAll(backend)).toBe(baseOnly);
    });

    test('a FORWARDING rule jumps before the namespaces in pp_FORWARD even when applied after them', async () => {
      const backend = await makeBackend();
      const firewall = await started(backend);
      await firewall.apply(namespace(1));
      await firewall.apply(forwarding(3, 8022, '100.115.92.134', 22));
      const jumps = (await backend.dump('ipv4')).split('\n').filter((l) => l.startsWith('-A pp_FORWARD '));
      const at = (owner: string) => jumps.findIndex((l) => l.endsWith(`-j pp_${owner}_FORWARD`));
      expect(at('port3')).toBeGreaterThanOrEqual(0);
      expect(at('port3')).toBeLessThan(at('ns1'));
    });

    test('stop removes everything the daemon added and nothing else', async () => {
      const backend = await makeBackend();
      await seedForeignRules(backend);
      const before = canonicalDump(await dumpAll(backend));
      const firewall = await started(backend);
      await firewall.apply(namespace(0));
      await firewall.apply(lockdown(1, 8080));
      await firewall.stop();
      const after = await dumpAll(backend);
      expect(after).not.toContain('pp_');
      expect(canonicalDump(after)).toBe(before);
    });
  });
}
