// The ways of connecting a namespace that the ConnectNamespace benchmark compares (ours once per firewall
// backend, netavark, the CNI bridge plugin). Each connector has a
// `name`, a `label` for its targets' namespaces, `needsPid` when its targets must be containers,
// `setup(target)` → `{ handle, ms, ...details }` and `teardown(handle)` → `{ ms, ...details }`, times in ms
// as the caller sees them. A target is `{ index, netns, pid? }` (a test-bed namespace, a pid for ours).

const { closeSync } = require('node:fs');
const { runTimed } = require('./processes');
const { elapsedMs } = require('./stats');

const NETAVARK = '/usr/lib/podman/netavark';
const CNI_DIR = '/usr/lib/cni';
const minimalEnv = (extra) => ({ PATH: process.env.PATH, ...extra });

/**
 * Ours: ConnectNamespace over D-Bus, then closing the lifeline. Besides the client's figures, the details split
 * the time with the daemon's log (`setupMs`, 'lifeline closed', 'namespace disconnected' with `teardownMs`)
 * and the kernel's link events in the daemon's namespace (the host veth gaining carrier, then deleted).
 */
function patchpanel({ name, label, client, daemonLog, hostLinks }) {
  const isLine = (msg, n) => (l) => l.msg === msg && l.n === n;
  return {
    name,
    label,
    needsPid: true,
    async setup(target) {
      const started = process.hrtime.bigint();
      const lease = await client.connectNamespace({ pid: target.pid, trafficSource: 'user' });
      const ms = elapsedMs(started);
      const { hostIfname } = lease.connection;
      const n = Number(hostIfname.replace('arc_ns', ''));
      const connected = await daemonLog.firstSince(started, isLine('namespace connected', n));
      const carrier = await hostLinks.firstSince(
        started,
        (e) => e.ifname === hostIfname && !e.deleted && e.flags.includes('LOWER_UP'),
      );
      const daemonStart = connected.at - BigInt(Math.round(connected.setupMs * 1e6));
      return {
        handle: { lease, n, hostIfname },
        ms,
        daemonMs: connected.setupMs,
        dbusMs: ms - connected.setupMs,
        linkMs: elapsedMs(daemonStart, carrier.at),
        attachAndFirewallMs: elapsedMs(carrier.at, connected.at),
      };
    },
    async teardown({ lease, n, hostIfname }) {
      const closed = daemonLog.waitFor(isLine('lifeline closed', n));
      const disconnected = daemonLog.waitFor(isLine('namespace disconnected', n));
      const vethGone = hostLinks.waitFor((e) => e.ifname === hostIfname && e.deleted);
      const startedWall = Date.now();
      const started = process.hrtime.bigint();
      closeSync(lease.lifelineFd);
      const [c, d, v] = await Promise.all([closed, disconnected, vethGone]);
      // When the daemon logged the hangup (its pino `time`, ms resolution): a line's arrival can wait behind
      // an earlier asynchronous log write until the daemon's loop is free again, after the veth deletion.
      const wakeMs = c.time - startedWall;
      const vethGoneMs = elapsedMs(started, v.at);
      return {
        ms: elapsedMs(started, d.at),
        daemonMs: d.teardownMs,
        vethGoneMs,
        wakeMs,
        firewallUntilVethGoneMs: vethGoneMs - wakeMs,
        afterVethGoneMs: elapsedMs(v.at, d.at),
      };
    },
  };
}

/** The address of target `index` in `base`/16, from .0.2 on (.0.1 is the bridge, the gateway). */
const addressIn = (base, index) => {
  const [a, b] = base.split('.');
  return `${a}.${b}.${Math.floor((index + 2) / 256)}.${(index + 2) % 256}`;
};
const gatewayIn = (base) => base.replace(/\.0$/, '.1');

/** netavark with its iptables driver, run in `hostNs`, one bridge network; podman's part (IPAM) done here. */
function netavark({ hostNs, configDir, subnetBase }) {
  const network = {
    dns_enabled: false,
    driver: 'bridge',
    id: '70'.repeat(32),
    internal: false,
    ipv6_enabled: false,
    name: 'ppbench',
    network_interface: 'ppbr0',
    subnets: [{ subnet: `${subnetBase}/16`, gateway: gatewayIn(subnetBase) }],
  };
  const options = (target) =>
    JSON.stringify({
      container_id: `ppbench${target.index}`,
      container_name: `ppbench${target.index}`,
      networks: { ppbench: { static_ips: [addressIn(subnetBase, target.index)], interface_name: 'eth0' } },
      network_info: { ppbench: network },
    });
  const run = (command, target) =>
    runTimed(
      ['ip', 'netns', 'exec', hostNs.name, NETAVARK, '--config', configDir, command, target.netns.path],
      {
        env: minimalEnv({ NETAVARK_FW: 'iptables' }),
        input: options(target),
      },
    );
  return commandConnector({
    name: 'netavark',
    label: 'nv',
    hostNs,
    run,
    setup: 'setup',
    teardown: 'teardown',
  });
}

/** The CNI bridge plugin (isGateway, ipMasq, host-local IPAM with a default route), run in `hostNs`. */
function cniBridge({ hostNs, dataDir, subnetBase }) {
  const config = JSON.stringify({
    cniVersion: '1.0.0',
    name: 'ppbench',
    type: 'bridge',
    bridge: 'cni0',
    isGateway: true,
    ipMasq: true,
    ipam: { type: 'host-local', subnet: `${subnetBase}/16`, dataDir, routes: [{ dst: '0.0.0.0/0' }] },
  });
  const run = (command, target) =>
    runTimed(['ip', 'netns', 'exec', hostNs.name, `${CNI_DIR}/bridge`], {
      env: minimalEnv({
        CNI_COMMAND: command,
        CNI_CONTAINERID: `ppbench${target.index}`,
        CNI_NETNS: target.netns.path,
        CNI_IFNAME: 'eth0',
        CNI_PATH: CNI_DIR,
      }),
      input: config,
    });
  return commandConnector({ name: 'CNI bridge', label: 'cni', hostNs, run, setup: 'ADD', teardown: 'DEL' });
}

/** A peer that is one process per step: `run(command, target)` runs it and gives the time it took. */
function commandConnector({ name, label, hostNs, run, setup, teardown }) {
  return {
    name,
    label,
    hostNs,
    async setup(target) {
      return { handle: target, ms: await run(setup, target) };
    },
    async teardown(target) {
      return { ms: await run(teardown, target) };
    },
  };
}

module.exports = { patchpanel, netavark, cniBridge, NETAVARK, CNI_DIR };
