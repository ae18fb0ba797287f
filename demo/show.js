// The lines the demo prints: traffic that proves the datapath works, and what exists while it runs.
const { echoRoundTrip } = require('@patchpanel/testbed');
const { addressesIn, helperPids, namespacesOf, ppRuleCounts } = require('./inventory');

const say = (label, text) => process.stdout.write(`${label.padEnd(8)} ${text}\n`);

/** Runs a check that returns its result text; prints `what: ok, result` or `what: FAILED (why)`. */
async function check(label, what, run) {
  try {
    say(label, `${what}: ok, ${await run()}`);
    return true;
  } catch (err) {
    say(label, `${what}: FAILED (${String(err?.message ?? err).split('\n')[0]})`);
    return false;
  }
}

/** A ping from the namespace to the lan (which has no route back: only SNAT makes it work), then a TCP
 * connection from the lan to the forwarded port of the host, answered by the server in the namespace. */
async function showTraffic({ vh, guest, connection, forward }) {
  const peer = connection.peerIpv4;
  const ping = await check('ping', `${guest.name} ${peer} -> lan ${vh.lanIpv4}`, async () => {
    const { stdout } = await guest.netns.exec(['ping', '-c', '1', '-W', '2', vh.lanIpv4]);
    const tracked = await vh.host.exec(['conntrack', '-L', '-p', 'icmp', '--orig-src', peer]);
    const natTo = [...tracked.stdout.matchAll(/dst=(\S+)/g)][1]?.[1]; // the reply's destination
    if (natTo !== vh.hostIpv4) throw new Error(`conntrack shows no SNAT to ${vh.hostIpv4}`);
    return `reply in ${/time=(\S+ ms)/.exec(stdout)?.[1]}, sent as ${natTo} (SNAT on eth0)`;
  });
  const tcp = await check(
    'tcp',
    `lan ${vh.lanIpv4} -> ${vh.hostIpv4}:${forward.port} (host eth0)`,
    async () => {
      const request = { protocol: 'tcp', host: vh.hostIpv4, port: forward.port, payload: 'hello' };
      const seen = JSON.parse((await echoRoundTrip(vh.lan, request)).reply);
      if (seen.server !== `${peer}:${forward.serverPort}` || seen.got !== 'hello')
        throw new Error(JSON.stringify(seen));
      return `reached the server at ${seen.server} in ${guest.name}, which saw ${seen.client}`;
    },
  );
  return ping && tcp;
}

/** The container's SLAAC address from the lan's RA (relayed by the ND proxy), then ping6 both ways: no NAT66. */
async function showIpv6({ vh, guest, connection }) {
  return check('ping6', `${guest.name} <-> lan ${vh.lanIpv6}`, async () => {
    const address = await slaacAddress(guest.netns, connection.peerIfname, 15_000);
    for (const [from, to] of [
      [vh.lan, address],
      [guest.netns, vh.lanIpv6],
    ]) {
      await from.exec(['ping', '-6', '-c', '1', '-W', '2', to]);
    }
    return `${connection.peerIfname} got ${address} by SLAAC through the ND proxy; ping6 both ways`;
  });
}

async function slaacAddress(ns, ifname, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { stdout } = await ns.exec(['ip', '-j', '-6', 'addr', 'show', 'dev', ifname, 'scope', 'global']);
    const found = (JSON.parse(stdout)[0]?.addr_info ?? []).find((a) => a.local && !a.tentative);
    if (found) return found.local;
    if (Date.now() > deadline) throw new Error(`no SLAAC address on ${ifname} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function showInventory({ bed, vh, guest, product, holder }) {
  const { daemon, bus, config } = product;
  say('netns', namespacesOf(bed.prefix).join(' '));
  say(
    'pids',
    `patchpaneld ${daemon.pid}; helpers (bwrap, ${config.helperUser}) ${helperPids(daemon.pid).join(', ')}`,
  );
  say('pids', `dbus-daemon ${bus.pid}; patchpanel connect-ns ${holder.pid} (holds the lifeline)`);
  const { nft, ipv4, ipv6 } = await ppRuleCounts(vh.host);
  say(
    'rules',
    `in ${vh.host.name}: nft list table inet patchpanel: ${nft} lines; iptables-save | grep pp_: ${ipv4}, ip6tables-save: ${ipv6}`,
  );
  for (const ns of [vh.lan, vh.host, guest.netns]) {
    say('addrs', `${ns.name}: ${(await addressesIn(ns)).join(', ')}`);
  }
}

module.exports = { say, showInventory, showIpv6, showTraffic };
