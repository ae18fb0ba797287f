import pino from 'pino';
import {
  buildBaseRuleSet,
  buildNamespaceRuleSet,
  buildPortRuleSet,
  DEFAULT_PHYSICAL_PREFIXES,
  type FirewallBackend,
  GUEST_NETWORK,
  type NamespaceFirewallInput,
  type RuleSet,
} from '../../src/datapath/firewall';

export const silentLog = pino({ level: 'silent' });

export const base = (vpnIfindex?: number): RuleSet =>
  buildBaseRuleSet({
    guestNetwork: GUEST_NETWORK,
    physicalPrefixes: DEFAULT_PHYSICAL_PREFIXES,
    localSources: [
      { uid: 1000, source: 'chrome', routeOnVpn: true },
      { uid: 1001, source: 'user', routeOnVpn: true },
    ],
    vpnIfindex,
  });

/** Connected namespace `ns<n>` with the addressing of the original (100.115.92.128/30 + 4n). */
export const namespaceInput = (
  n: number,
  overrides: Partial<NamespaceFirewallInput> = {},
): NamespaceFirewallInput => ({
  owner: `ns${n}`,
  hostIfname: `arc_ns${n}`,
  subnet: { base: `100.115.92.${128 + 4 * n}`, prefixLength: 30 },
  trafficSource: 'system',
  outbound: undefined,
  routeOnVpn: true,
  ...overrides,
});

export const namespace = (n: number, overrides: Partial<NamespaceFirewallInput> = {}): RuleSet =>
  buildNamespaceRuleSet(namespaceInput(n, overrides));

export const access = (n: number, port: number, inputIfname?: string): RuleSet =>
  buildPortRuleSet({
    owner: `port${n}`,
    rule: { type: 'access', protocol: 'tcp', port, inputIfname },
    lockdownExemptUid: 1000,
  });

/** `exempt`: uid 1000 may still connect (the configured user exists). */
export const lockdown = (n: number, port: number, exempt = true): RuleSet =>
  buildPortRuleSet({
    owner: `port${n}`,
    rule: { type: 'lockdown', protocol: 'udp', port },
    lockdownExemptUid: exempt ? 1000 : undefined,
  });

export const forwarding = (n: number, port: number, dstIp: string, dstPort: number): RuleSet =>
  buildPortRuleSet({
    owner: `port${n}`,
    rule: {
      type: 'forwarding',
      protocol: 'tcp',
      inputIfname: 'eth0',
      inputDstIp: undefined,
      port,
      dstIp,
      dstPort,
    },
    lockdownExemptUid: undefined,
  });

/** Both families' dumps, one after the other, without the timestamp comments and the packet counters. */
export async function dumpAll(backend: FirewallBackend): Promise<string> {
  const text = `${await backend.dump('ipv4')}${await backend.dump('ipv6')}`;
  return text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .map((line) => line.replace(/\[\d+:\d+\]$/, '[0:0]'))
    .join('\n');
}

/**
 * A dump without what varies between runs or does not matter: comments, counters, chain order, and tables
 * holding nothing but empty built-in chains (iptables-nft keeps a table it once created).
 */
export function canonicalDump(text: string): string {
  const out: string[] = [];
  let table: { header: string; chains: string[]; rules: string[] } | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim().replace(/\[\d+:\d+\]$/, '[0:0]');
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) table = { header: line, chains: [], rules: [] };
    else if (line === 'COMMIT' && table !== undefined) {
      const userChains = table.chains.filter((c) => / - \[0:0\]$/.test(c));
      const policies = table.chains.filter((c) => !/ (ACCEPT|-) \[0:0\]$/.test(c));
      if (table.rules.length > 0 || userChains.length > 0 || policies.length > 0) {
        const chainOf = (rule: string) => rule.split(' ')[1] ?? '';
        const byChain = (a: string, b: string) =>
          chainOf(a) < chainOf(b) ? -1 : chainOf(a) > chainOf(b) ? 1 : 0;
        const rules = [...table.rules].sort(byChain);
        out.push(table.header, ...[...table.chains].sort(), ...rules, 'COMMIT');
      }
      table = undefined;
    } else if (line.startsWith(':')) table?.chains.push(line);
    else table?.rules.push(line);
  }
  return `${out.join('\n')}\n`;
}

/** The `code` of what `work` throws, or undefined when it does not throw. */
export function codeOf(work: () => unknown): string | undefined {
  try {
    work();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
}

/** One rule set of every kind each builder makes, by golden name (the iptables and the nftables goldens). */
export const BUILDER_CASES: Record<string, RuleSet> = {
  base: base(),
  'base-vpn-tun0': base(7),
  'namespace-default-vpn': namespace(0),
  'namespace-default-novpn': namespace(1, { routeOnVpn: false, trafficSource: 'user' }),
  'namespace-pinned-eth0': namespace(2, {
    outbound: { ifname: 'eth0', ifindex: 2 },
    trafficSource: 'chrome',
  }),
  'access-any': access(1, 5555),
  'access-eth0': access(2, 5555, 'eth0'),
  'lockdown-exempt': lockdown(3, 8080),
  'lockdown-no-user': lockdown(4, 8080, false),
  forwarding: forwarding(5, 8022, '100.115.92.130', 22),
  'forwarding-input-dst': buildPortRuleSet({
    owner: 'port6',
    rule: {
      type: 'forwarding',
      protocol: 'udp',
      inputIfname: 'wlan0',
      inputDstIp: '198.51.100.2',
      port: 5353,
      dstIp: '100.115.92.6',
      dstPort: 53,
    },
    lockdownExemptUid: undefined,
  }),
};
