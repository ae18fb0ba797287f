#!/usr/bin/env node
// ConnectNamespace benchmark: the D-Bus round trip of ConnectNamespace (client call -> response) and its
// teardown (lifeline closed -> the daemon logs 'namespace disconnected'; also: -> the host veth is gone), with
// 1, 50 and 250 namespaces already connected, for our daemon once per firewall backend (nftables, iptables;
// two daemons, each on a virtual host and bus of its own), next to netavark and the CNI bridge plugin doing
// the same work (a veth into a namespace with an address and a default route, a bridge or route on the host,
// masquerading with iptables) in the same run, cycles interleaved. Everything runs in test-bed namespaces:
// the daemons in virtual hosts, each peer in a namespace of its own (`ip netns exec`), state in the run's
// directory; the root namespace's iptables and nftables rulesets are read before and after and compared.
// Root only. Not a test.
//   npm run build && node bench/connect-namespace.js [--runs N]

const { execFileSync } = require('node:child_process');
const { mkdirSync, mkdtempSync, writeFileSync } = require('node:fs');
const { constants } = require('node:os');
const path = require('node:path');
const { createTestbed, createVirtualHost } = require('@patchpanel/testbed');
const { PatchPanelClient } = require('@patchpanel/manager');
const connectors = require('./lib/connectors');
const { ensureDebianPackages } = require('./lib/debian-packages');
const { oursName, printReport } = require('./lib/connect-namespace-report');
const { runTimed, startDaemon, stopChild, watchLinks } = require('./lib/processes');
const { checkGuest, createTargets, removeNetnsNames, rootFirewall } = require('./lib/testbed-setup');

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 40;
const WARMUP = 2;
const LEVELS = [1, 50, 250];
const BACKENDS = ['nftables', 'iptables'];
const MEASURED = 1000; // the index of the namespace each system connects and disconnects, apart from the rest
const policyFile = path.resolve(__dirname, '../packaging/dbus/org.chromium.PatchPanel.conf');

/**
 * The daemon with firewall `backend` on the virtual host of `bed` (a test bed has one), with a private bus,
 * its pool raised to 300 /30s; our connector for that backend.
 */
async function startPatchpanel(bed, backend) {
  const dir = mkdtempSync(path.join(bed.runDir, 'cns-'));
  const vh = await createVirtualHost(bed);
  const bus = await bed.dbus({ policyFile });
  const config = path.join(dir, 'patchpanel.json');
  const netnsPrefix = `${bed.prefix}-cns`;
  writeFileSync(
    config,
    JSON.stringify({
      busAddress: bus.address,
      jail: 'bwrap',
      helperUser: '65534:65534',
      devices: { backend: 'netlink' },
      firewall: { backend },
      connectedNamespaces: {
        netnsPrefix,
        pool: { base: '100.64.0.0', prefixLength: 30, count: 300 },
      },
    }),
  );
  // Teardown steps run last-registered first: this one after the daemon's stop, for what a killed daemon left.
  bed.onTeardown(() => removeNetnsNames(netnsPrefix));
  const daemon = startDaemon(vh.host, config);
  bed.onTeardown(() => stopChild(daemon.child, 120_000)); // its clean stop disconnects all, ~0.1 s each
  await daemon.ready;
  const firewall = await daemon.log.firstSince(0n, (l) => l.msg === 'firewall started');
  if (firewall.backend !== backend) throw new Error(`the daemon runs ${firewall.backend}, not ${backend}`);
  const hostLinks = await watchLinks(vh.host);
  bed.onTeardown(() => stopChild(hostLinks.child));
  const client = PatchPanelClient.connect(bus.address);
  bed.onTeardown(() => client.disconnect());
  return connectors.patchpanel({
    name: oursName(backend),
    label: `pp${backend[0]}`,
    client,
    daemonLog: daemon.log,
    hostLinks: hostLinks.events,
  });
}

/** The peers' connectors, each with a host namespace of its own. */
async function startPeers(bed, dir) {
  const configDir = path.join(dir, 'netavark');
  mkdirSync(configDir);
  return [
    connectors.netavark({ hostNs: await bed.netns('netavark-host'), configDir, subnetBase: '100.72.0.0' }),
    connectors.cniBridge({
      hostNs: await bed.netns('cni-host'),
      dataDir: path.join(dir, 'cni-ipam'),
      subnetBase: '100.73.0.0',
    }),
  ];
}

/** What running a peer under `ip netns exec` costs by itself. */
async function wrapperCost(netns) {
  const samples = [];
  for (let i = 0; i < runs; i += 1) samples.push(await runTimed(['ip', 'netns', 'exec', netns.name, 'true']));
  return samples;
}

function versions() {
  const packages = ['netavark', 'containernetworking-plugins', 'iptables', 'nftables'];
  const text = execFileSync('dpkg-query', ['-W', ...packages], { encoding: 'utf8' });
  return text.trim().replace(/\t/g, ' ').split('\n').join(', ');
}

/**
 * For each level: create and connect background targets until `level` are connected (namespaces are made only
 * when needed, so the first level runs on a nearly empty host), measure the peers' wrapper alone, then
 * `WARMUP + runs` rounds of setup + teardown of one more target per system, the order rotating each round.
 */
async function measure(bed, systems, wrapperNs) {
  const results = {};
  const wrapper = {};
  const targets = new Map();
  for (const s of systems) {
    const options = { containers: s.needsPid === true };
    targets.set(s, {
      measured: (await createTargets(bed, `${s.label}-m`, [MEASURED], options))[0],
      connected: 0,
      options,
    });
  }
  for (const level of LEVELS) {
    for (const s of systems) {
      const t = targets.get(s);
      const indices = Array.from({ length: level - t.connected }, (_, k) => t.connected + k);
      for (const target of await createTargets(bed, s.label, indices, t.options)) await s.setup(target);
      t.connected = level;
    }
    wrapper[level] = await wrapperCost(wrapperNs);
    results[level] = Object.fromEntries(systems.map((s) => [s.name, { setup: [], teardown: [] }]));
    for (let round = 0; round < WARMUP + runs; round += 1) {
      const k = round % systems.length;
      for (const s of [...systems.slice(k), ...systems.slice(0, k)]) {
        const target = targets.get(s).measured;
        const up = await s.setup(target);
        if (round === 0) await checkGuest(target, s.name);
        const down = await s.teardown(up.handle);
        if (round < WARMUP) continue;
        results[level][s.name].setup.push(up);
        results[level][s.name].teardown.push(down);
      }
    }
  }
  return { results, wrapper };
}

function installPeers() {
  ensureDebianPackages({
    [connectors.NETAVARK]: 'netavark',
    [`${connectors.CNI_DIR}/bridge`]: 'containernetworking-plugins',
    [`${connectors.CNI_DIR}/host-local`]: 'containernetworking-plugins',
  });
}

/** Every bed torn down at once (each daemon's clean stop disconnects all its namespaces); rejects if one failed. */
async function teardownAll(beds) {
  const failed = (await Promise.allSettled(beds.map((bed) => bed.teardown()))).find(
    (r) => r.status === 'rejected',
  );
  if (failed !== undefined) throw failed.reason;
}

/**
 * Interrupted: the same graceful teardown as at the end (the daemons remove their namespace names), then exit.
 * A second signal exits at once; the test beds' exit hooks still remove what they recorded. (process.on, not
 * once: execa's signal-exit re-raises a signal that no other listener is left to handle.)
 */
function teardownOnSignals(beds) {
  let interrupted = false;
  const onSignal = (signal) => {
    const exit = () => process.exit(128 + constants.signals[signal]);
    if (interrupted) exit();
    interrupted = true;
    teardownAll(beds).finally(exit);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);
}

/** Which parts of the root namespace's firewall differ from `before` (read again now). */
function printRootFirewallCheck(before) {
  const after = rootFirewall();
  const changed = Object.keys(before).filter((tool) => after[tool] !== before[tool]);
  for (const tool of Object.keys(before)) {
    process.stdout.write(`root namespace ${tool}: ${changed.includes(tool) ? 'CHANGED' : 'untouched'}\n`);
  }
  if (changed.length > 0) process.exitCode = 1;
}

async function main() {
  installPeers();
  const firewallBefore = rootFirewall();
  // One bed per daemon: a bed holds one virtual host. The first also holds the peers and every target.
  const beds = [];
  teardownOnSignals(beds);
  let report;
  try {
    const ours = [];
    for (const backend of BACKENDS) {
      const label = `bench-cns-${backend}`;
      beds.push(await createTestbed({ label, handleSignals: false, sweep: beds.length === 0 }));
      ours.push(await startPatchpanel(beds.at(-1), backend));
    }
    const bed = beds[0];
    // The peers' configs and state: in the run's directory, which every kind of teardown and sweep removes.
    const peers = await startPeers(bed, mkdtempSync(path.join(bed.runDir, 'cns-')));
    const { results, wrapper } = await measure(bed, [...ours, ...peers], peers[0].hostNs);
    report = {
      results,
      levels: LEVELS,
      wrapper,
      header: [
        `== ConnectNamespace setup and teardown, ours next to netavark and the CNI bridge plugin, one run ==`,
        `${runs} cycles per figure (${WARMUP} warm-up cycles per system and level dropped), cycles interleaved`,
        `packages: ${versions()}`,
        `ours: two daemons at log level info, one per firewall backend (${BACKENDS.join(', ')}), each on a`,
        'virtual host and private bus of its own, both running throughout; peers: netavark with',
        'NETAVARK_FW=iptables, CNI bridge (isGateway, ipMasq) with host-local IPAM, each run under',
        '`ip netns exec <its host ns>` (that wrapper alone is measured at each level too)',
      ],
    };
  } finally {
    await teardownAll(beds);
  }
  printReport(report);
  process.stdout.write('\n');
  printRootFirewallCheck(firewallBefore);
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
