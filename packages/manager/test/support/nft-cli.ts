import type { Netns } from '@patchpanel/testbed';

/** `nft` in a test namespace, commands one per line on stdin; fails the test on anything nft prints to stderr. */
export function nftIn(ns: () => Netns) {
  const nft = async (args: readonly string[], commands?: readonly string[]): Promise<string> => {
    const input = commands === undefined ? undefined : `${commands.join('\n')}\n`;
    const { stdout, stderr } = await ns().exec(['nft', ...args], { input });
    expect(stderr).toBe('');
    return stdout;
  };
  return {
    nft,
    /** The table of ours as nft lists it. */
    list: () => nft(['list', 'table', 'inet', 'patchpanel']),
    /** The same with handles. */
    listing: () => nft(['-a', 'list', 'table', 'inet', 'patchpanel']),
  };
}
