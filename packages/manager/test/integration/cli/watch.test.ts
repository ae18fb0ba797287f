import { integrationSuite } from '@patchpanel/testbed';
import type { NetworkDeviceInfo } from '../../../src/api/patchpanel-api';
import { serviceOnBus } from '../dbus/service-on-bus';
import { CLI_MAIN } from './cli-process';

const vmTap: NetworkDeviceInfo = {
  ifname: 'vmtap0',
  ipv4Address: '100.115.92.26',
  subnet: { base: '100.115.92.24', prefixLength: 30 },
  guestKind: 'termina_vm',
};

integrationSuite('patchpanel watch', (ctx) => {
  const on = serviceOnBus(ctx);

  test.each([
    ['human', [], /^added\s+vmtap0\s+100\.115\.92\.26\s+100\.115\.92\.24\/30\s+termina_vm$/m],
    ['--json', ['--json'], /^{"device":{"ifname":"vmtap0",.*},"change":"removed"}$/m],
  ])('prints each NetworkDeviceChanged (%s) until SIGINT', async (_form, flags, line) => {
    const change = flags.length === 0 ? 'added' : 'removed';
    const netns = await ctx.bed.netns(`watch${flags.length}`);
    const watcher = await ctx.bed.spawn(
      netns,
      [process.execPath, CLI_MAIN, '--bus-address', on.bus.address, ...flags, 'watch'],
      { ready: { stderr: /watching NetworkDeviceChanged/, timeoutMs: 10_000 } },
    );
    on.service.emitNetworkDeviceChanged(vmTap, change);
    const deadline = Date.now() + 5000;
    while (!line.test(watcher.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(watcher.output()).toMatch(line);
    process.kill(watcher.pid, 'SIGINT');
    expect(await watcher.exited).toEqual({ code: 0, signal: null });
  });
});
