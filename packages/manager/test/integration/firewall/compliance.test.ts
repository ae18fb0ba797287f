import {
  findProcessesInNetns,
  integrationSuite,
  type Netns,
  namespaceInode,
  waitUntil,
} from '@patchpanel/testbed';
import {
  createIptablesBackend,
  type FirewallStore,
  selectFirewallStore,
} from '../../../src/datapath/firewall';
import { parseListing } from '../../../src/datapath/firewall/nft';
import { type FirewallRig, firewallCompliance, transactionRig } from '../../support/firewall-compliance';
import { access, base, namespace, silentLog } from '../../support/firewall-fixtures';
import { commandLine, isAlive } from '../../support/proc';

/** nftables in `ns`: the store's calls are its transactions (each is one nft batch by construction). */
function nftRig(ns: Netns): FirewallRig {
  let calls = 0;
  const counting =
    <A extends unknown[]>(call: (...args: A) => Promise<void>) =>
    (...args: A) => {
      calls += 1;
      return call(...args);
    };
  const counted = (store: FirewallStore): FirewallStore => ({
    name: store.name,
    reset: counting((set) => store.reset(set)),
    install: counting((next, previous) => store.install(next, previous)),
    remove: counting((owner, applied) => store.remove(owner, applied)),
    teardown: counting(() => store.teardown()),
    dump: () => store.dump(),
  });
  const nft = async (...argv: string[]) => (await ns.exec(['nft', ...argv])).stdout;
  return {
    store: () => counted(selectFirewallStore({ kind: 'nftables', netnsPath: ns.path }, silentLog)),
    dump: () => nft('list', 'ruleset'),
    canonical: (dump) => dump,
    seedForeign: async () => {
      for (const tool of ['iptables', 'ip6tables']) {
        await ns.exec([tool, '-A', 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'ACCEPT']);
        await ns.exec([tool, '-A', 'FORWARD', '-i', 'wg9', '-j', 'DROP']);
      }
      await nft('add', 'table', 'inet', 'other');
      await nft('add', 'chain', 'inet', 'other', 'input', '{ type filter hook input priority 0; }');
      await nft('add', 'rule', 'inet', 'other', 'input', 'tcp', 'dport', '2222', 'accept');
    },
    // The base chain's rules in order: a jump is one owner, a map lookup all the owners with an element in it.
    forwardOrder: async () => {
      const listing = parseListing(await nft('-a', 'list', 'table', 'inet', 'patchpanel'));
      const owner = (chain: string | undefined) =>
        /^pp_filter_([a-z0-9]+)_FORWARD/.exec(chain ?? '')?.[1] ?? [];
      const base = listing.chains.find((c) => c.name === 'pp_filter_FORWARD');
      return (base?.rules ?? []).flatMap((rule) => {
        const map = / vmap @(\S+)$/.exec(rule.text)?.[1];
        if (map === undefined) return owner(rule.jumpsTo);
        return (listing.maps.find((m) => m.name === map)?.elements ?? []).flatMap((e) => owner(e.jumpsTo));
      });
    },
    transactions: async (work) => {
      const before = calls;
      await work();
      return calls - before;
    },
    transactionsPerChange: () => 1,
  };
}

// A fresh namespace per test: every command runs inside it, never in the root namespace.
integrationSuite('firewall backends in a namespace', (ctx) => {
  let next = 0;
  const freshNamespace = () => ctx.bed.netns(`fw${next++}`);
  firewallCompliance('iptables-restore', async () =>
    transactionRig(createIptablesBackend({ log: silentLog, netnsPath: (await freshNamespace()).path })),
  );
  firewallCompliance('nftables (nft -i)', async () => nftRig(await freshNamespace()));

  test('nftables: a killed nft session is replaced on the next change, which finds the table rebuilt', async () => {
    const ns = await freshNamespace();
    const store = selectFirewallStore({ kind: 'nftables', netnsPath: ns.path }, silentLog);
    const nft = async (...argv: string[]) => (await ns.exec(['nft', ...argv])).stdout;
    // The table's chains and maps by name (a rebuilt table lists them in another order), rules without handles.
    const table = async () => {
      const { chains, maps } = parseListing(await nft('-a', 'list', 'table', 'inet', 'patchpanel'));
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      return {
        chains: chains.map((c) => ({ name: c.name, rules: c.rules.map((r) => r.text) })).sort(byName),
        maps: [...maps].sort(byName),
      };
    };
    try {
      await store.reset(base());
      const baseOnly = await table();
      const port = access(1, 5555);
      await store.install(port, undefined);
      const withPort = await table();
      // The session's process, started by this test's store: the nft in this test's namespace (earlier tests'
      // stores may have sessions of their own in other namespaces).
      const session = findProcessesInNetns(new Set([String(namespaceInode(ns.path))]))
        .map((p) => p.pid)
        .find((pid) => commandLine(pid)[0] === 'nft');
      expect(session).toBeDefined();
      process.kill(session as number, 'SIGKILL');
      await waitUntil(() => !isAlive(session as number), 5000, 'the nft session to die');
      // Meanwhile someone else's hand empties our table: the replacement must rebuild it, not assume it.
      await nft('flush', 'table', 'inet', 'patchpanel');
      const guest = namespace(2);
      await store.install(guest, undefined);
      await store.remove(guest.owner, guest);
      expect(await table()).toEqual(withPort);
      // The port rule's jump is removed by a handle read after the rebuild.
      await store.remove(port.owner, port);
      expect(await table()).toEqual(baseOnly);
    } finally {
      await store.teardown();
    }
  });
});
