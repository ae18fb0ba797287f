// Building blocks of the ConnectNamespace benchmark's test bed: guest namespaces in bulk, a check that a
// connector really configured a guest, and a snapshot of the root namespace's firewall to prove it untouched.

const { execFileSync } = require('node:child_process');
const { readdirSync } = require('node:fs');

/**
 * Targets `{ index, netns, pid? }` for `indices`, labelled `${label}${index}`, 16 at a time; test-bed
 * containers (a netns with a process, whose pid ConnectNamespace takes) if `containers`, else bare namespaces.
 */
async function createTargets(bed, label, indices, { containers = false } = {}) {
  const create = async (index) => {
    if (!containers) return { index, netns: await bed.netns(`${label}${index}`) };
    const { netns, pid } = await bed.container(`${label}${index}`);
    return { index, netns, pid };
  };
  const targets = [];
  for (let first = 0; first < indices.length; first += 16) {
    targets.push(...(await Promise.all(indices.slice(first, first + 16).map(create))));
  }
  return targets;
}

/** Throws unless the guest has a global IPv4 address and a default route. */
async function checkGuest(target, who) {
  const addresses = (await target.netns.exec(['ip', '-4', '-o', 'addr', 'show', 'scope', 'global'])).stdout;
  const routes = (await target.netns.exec(['ip', '-4', 'route', 'show', 'default'])).stdout;
  if (addresses.trim() === '' || routes.trim() === '') {
    throw new Error(
      `${who} left ${target.netns.name} without an address or default route:\n${addresses}${routes}`,
    );
  }
}

/** Deletes the names `<prefix><N>` under /run/netns (the daemon's, when it was killed before it could). */
function removeNetnsNames(prefix) {
  for (const name of readdirSync('/run/netns')) {
    if (name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length))) {
      execFileSync('ip', ['netns', 'delete', name]);
    }
  }
}

const run = (argv) => execFileSync(argv[0], argv.slice(1), { encoding: 'utf8' });

/**
 * The root namespace's firewall as text without counters (read only): `iptables-save` and `ip6tables-save`
 * without comments, and `nft list ruleset` (every table, iptables-nft's too), each under its name.
 */
function rootFirewall() {
  const saved = [['iptables-save'], ['ip6tables-save']].map(run).join('').split('\n');
  return {
    'iptables-save/ip6tables-save': saved
      .filter((line) => !line.startsWith('#'))
      .map((line) => line.replace(/\[\d+:\d+\]/g, '[0:0]'))
      .join('\n'),
    'nft list ruleset': run(['nft', 'list', 'ruleset'])
      .replace(/packets \d+ bytes \d+/g, 'packets 0 bytes 0')
      .replace(/ expires \S+/g, ''),
  };
}

module.exports = { createTargets, checkGuest, removeNetnsNames, rootFirewall };
