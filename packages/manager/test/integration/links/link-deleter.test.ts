import { integrationSuite, type Netns } from '@patchpanel/testbed';

// The deleter works in its own process's namespace, so it runs in a child started inside the bed's namespace.
const deleterModule = require.resolve('../../../dist/datapath/links/link-deleter');
const rtnetlinkModule = require.resolve('../../../dist/datapath/links/rtnetlink');
const lookupModule = require.resolve('../../../dist/datapath/links/link-lookup');

/** Deletes `names` at once; reports for each whether the link was still listed when `gone` resolved. */
const deleteScript = (names: readonly string[]) => `
const { LinkDeleter } = require(${JSON.stringify(deleterModule)});
const { Rtnetlink } = require(${JSON.stringify(rtnetlinkModule)});
const { linkState } = require(${JSON.stringify(lookupModule)});
(async () => {
  const host = Rtnetlink.open({ pid: process.pid });
  const deleter = await LinkDeleter.start();
  const listed = (ifname) => { try { linkState(host, ifname); return true; } catch { return false; } };
  const report = await Promise.all(${JSON.stringify(names)}.map(async (ifname) => {
    const deletion = deleter.delete(ifname);
    await deletion.gone;
    const listedWhenGone = listed(ifname);
    await deletion.done;
    return { ifname, listedWhenGone };
  }));
  await deleter.close();
  host.close();
  process.stdout.write(JSON.stringify(report));
})().catch((err) => { process.stderr.write(String(err.stack)); process.exit(1); });`;

integrationSuite('link deleter', (ctx) => {
  let ns: Netns;

  beforeAll(async () => {
    ns = await ctx.bed.netns('deleter');
  });

  const runDeleter = async (names: readonly string[]) =>
    JSON.parse((await ns.exec([process.execPath, '-e', deleteScript(names)])).stdout) as {
      ifname: string;
      listedWhenGone: boolean;
    }[];

  test('a link counts as gone only once it left the list; several deletions at once each settle', async () => {
    for (const k of [0, 1, 2]) {
      await ns.exec(['ip', 'link', 'add', `del${k}`, 'type', 'veth', 'peer', 'name', `del${k}p`]);
      await ns.exec(['ip', 'link', 'set', `del${k}`, 'up']);
    }
    expect(await runDeleter(['del0', 'del1', 'del2'])).toEqual(
      ['del0', 'del1', 'del2'].map((ifname) => ({ ifname, listedWhenGone: false })),
    );
    expect((await ns.exec(['ip', '-o', 'link'])).stdout).not.toMatch(/del\d/);
  });

  test('a link that is not there is gone at once', async () => {
    expect(await runDeleter(['absent0'])).toEqual([{ ifname: 'absent0', listedWhenGone: false }]);
  });
});
