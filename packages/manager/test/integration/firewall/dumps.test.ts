import path from 'node:path';
import { integrationSuite } from '@patchpanel/testbed';
import { createFirewall, createIptablesBackend, type FirewallBackend } from '../../../src/datapath/firewall';
import {
  access,
  base,
  canonicalDump,
  forwarding,
  lockdown,
  namespace,
  silentLog,
} from '../../support/firewall-fixtures';
import { expectGolden } from '../../support/golden';

const golden = (name: string) => path.join(__dirname, 'golden', name);

async function saved(backend: FirewallBackend): Promise<{ ipv4: string; ipv6: string }> {
  return { ipv4: canonicalDump(await backend.dump('ipv4')), ipv6: canonicalDump(await backend.dump('ipv6')) };
}

integrationSuite('firewall: iptables-save dumps', (ctx) => {
  test('before, with the base, with owners, after their removal, after stop', async () => {
    const ns = await ctx.bed.netns('dumps');
    const backend = createIptablesBackend({ log: silentLog, netnsPath: ns.path });
    const empty = await saved(backend);

    const firewall = createFirewall({ backend, log: silentLog });
    await firewall.start(base());
    const withBase = await saved(backend);
    expectGolden(golden('base.ipv4.save'), withBase.ipv4);
    expectGolden(golden('base.ipv6.save'), withBase.ipv6);

    const owners = [
      namespace(0),
      namespace(2, { outbound: { ifname: 'eth0', ifindex: 2 }, trafficSource: 'chrome' }),
      access(1, 5555, 'eth0'),
      lockdown(3, 8080),
      forwarding(5, 8022, '100.115.92.130', 22),
    ];
    for (const set of owners) await firewall.apply(set);
    const withOwners = await saved(backend);
    expectGolden(golden('owners.ipv4.save'), withOwners.ipv4);
    expectGolden(golden('owners.ipv6.save'), withOwners.ipv6);

    for (const set of owners) await firewall.remove(set.owner);
    expect(await saved(backend)).toEqual(withBase);

    await firewall.stop();
    expect(await saved(backend)).toEqual(empty);
  });
});
