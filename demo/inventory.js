// What the demo shows about the running product: processes, namespaces, firewall and addresses.
const { existsSync, readdirSync, readFileSync } = require('node:fs');

function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** The helpers below the daemon: the node processes themselves, not their bwrap and setpriv wrappers. */
function helperPids(daemonPid) {
  const below = (pid) => {
    for (let p = parentOf(pid); p !== undefined && p > 1; p = parentOf(p)) if (p === daemonPid) return true;
    return false;
  };
  const helpers = [];
  for (const pid of readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)) {
    const argv = commandLine(pid);
    const helper = /([\w-]+)\/dist\/main\.js$/.exec(argv.at(-1) ?? '')?.[1];
    if (helper && argv[0] !== 'setpriv' && !argv.includes('--') && below(pid))
      helpers.push(`${helper} ${pid}`);
  }
  return helpers.sort();
}

/** Names under /run/netns starting with `prefix`: ours and the daemon's connected ones (they carry the run prefix too). */
function namespacesOf(prefix) {
  const names = existsSync('/run/netns') ? readdirSync('/run/netns') : [];
  return names.filter((name) => name.startsWith(prefix)).sort();
}

/**
 * Lines of the daemon's rules in a namespace: in its nftables table (`nft list table inet patchpanel`, 0 when
 * there is none), and `iptables-save | grep pp_` per family (the iptables backend's).
 */
async function ppRuleCounts(ns) {
  const count = async (argv) =>
    (await ns.exec(argv).catch(() => ({ stdout: '' }))).stdout.split('\n').filter((l) => l.includes('pp_'))
      .length;
  return {
    nft: await count(['nft', 'list', 'table', 'inet', 'patchpanel']),
    ipv4: await count(['iptables-save']),
    ipv6: await count(['ip6tables-save']),
  };
}

/** `ifname address/prefix` of the global IPv4 addresses in a namespace. */
async function addressesIn(ns) {
  const { stdout } = await ns.exec(['ip', '-o', '-4', 'addr', 'show', 'scope', 'global']);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [, ifname, , cidr] = line.split(/\s+/);
      return `${ifname} ${cidr}`;
    });
}

module.exports = { addressesIn, helperPids, namespacesOf, ppRuleCounts };
