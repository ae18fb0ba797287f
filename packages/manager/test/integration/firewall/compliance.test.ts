import { integrationSuite } from '@patchpanel/testbed';
import { createIptablesBackend } from '../../../src/datapath/firewall';
import { firewallBackendCompliance } from '../../support/firewall-compliance';
import { silentLog } from '../../support/firewall-fixtures';

integrationSuite('firewall: iptables-restore backend', (ctx) => {
  let next = 0;
  // A fresh namespace per test: every command runs inside it through nsenter, never in the root namespace.
  firewallBackendCompliance('iptables-restore in a namespace', async () => {
    const ns = await ctx.bed.netns(`fw${next++}`);
    return createIptablesBackend({ log: silentLog, netnsPath: ns.path });
  });
});
