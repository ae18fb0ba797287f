#!/usr/bin/env node
// Firewall benchmark: the cost of applying and of removing one owner (a connected namespace's rule set:
// 6 IPv4 + 2 IPv6 rules in 4 chains) with 1 and with 250 owners present, through the daemon's firewall
// (one iptables-restore per family), next to the original's way in the same run: one `iptables` process per
// rule, appended to the built-in chains, then deleted by spec. Also the start-up reset after a crash that
// left 250 owners behind. Runs inside a test-bed namespace (nothing in the root namespace). Root only.
//   npm run build && node bench/firewall-apply.js [--runs N]

const { execFileSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');
const pino = require('pino');
const { createTestbed } = require('@patchpanel/testbed');
const fw = require('../packages/manager/dist/datapath/firewall');

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 20;
const log = pino({ level: 'silent' });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) =>
  `median ${median(xs).toFixed(1).padStart(6)} ms  (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;

const base = fw.buildBaseRuleSet({
  guestNetwork: fw.GUEST_NETWORK,
  physicalPrefixes: fw.DEFAULT_PHYSICAL_PREFIXES,
  localSources: [{ uid: 1000, source: 'chrome', routeOnVpn: true }],
  vpnIfindex: undefined,
});

const owner = (n) =>
  fw.buildNamespaceRuleSet({
    owner: `ns${n}`,
    hostIfname: `arc_ns${n}`,
    subnet: { base: `100.${115 + Math.floor(n / 64)}.${(n % 64) * 4}.0`, prefixLength: 30 },
    trafficSource: 'system',
    outbound: undefined,
    routeOnVpn: false,
  });

async function timed(work) {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/** The daemon's way: present owners applied, then one more applied and removed, `runs` times. */
async function ours(ns, present) {
  const firewall = fw.createFirewall({ backend: fw.createIptablesBackend({ log, netnsPath: ns.path }), log });
  await firewall.start(base);
  for (let n = 0; n < present; n += 1) await firewall.apply(owner(n));
  const apply = [];
  const remove = [];
  for (let i = 0; i < runs; i += 1) {
    apply.push(await timed(() => firewall.apply(owner(900))));
    remove.push(await timed(() => firewall.remove(owner(900).owner)));
  }
  const crashed = fw.createFirewall({ backend: fw.createIptablesBackend({ log, netnsPath: ns.path }), log });
  const reset = await timed(() => crashed.start(base));
  await crashed.stop();
  return { apply, remove, reset };
}

/** Each rule of the owner as the argv of one iptables call into the built-in chain. */
function perRuleArgv(set, op) {
  return set.rules.flatMap((r) =>
    fw.FAMILIES.filter((family) => fw.scopeIncludes(r.family, family)).map((family) => [
      family === 'ipv4' ? 'iptables' : 'ip6tables',
      '-w',
      '-t',
      r.table,
      op,
      r.chain,
      ...fw.renderRuleSpec(r.rule, set.owner).split(' '),
    ]),
  );
}

/** The original's way: present owners' rules in the built-in chains, one more added and deleted rule by rule. */
async function perRule(ns, present) {
  const run = (argv) => execFileSync('nsenter', [`--net=${ns.path}`, '--', ...argv], { stdio: 'ignore' });
  for (const family of fw.FAMILIES) {
    const lines = fw.APPLY_TABLE_ORDER.flatMap((table) => {
      const rules = Array.from({ length: present }, (_, n) => owner(n)).flatMap((set) =>
        fw.rulesIn(set, family, table).map((r) => `-A ${r.chain} ${fw.renderRuleSpec(r.rule, set.owner)}`),
      );
      return rules.length === 0 ? [] : [`*${table}`, ...rules, 'COMMIT'];
    });
    execFileSync(
      'nsenter',
      [`--net=${ns.path}`, '--', family === 'ipv4' ? 'iptables-restore' : 'ip6tables-restore'],
      {
        input: `${lines.join('\n')}\n`,
      },
    );
  }
  const apply = [];
  const remove = [];
  for (let i = 0; i < runs; i += 1) {
    apply.push(await timed(async () => perRuleArgv(owner(900), '-A').forEach(run)));
    remove.push(await timed(async () => perRuleArgv(owner(900), '-D').forEach(run)));
  }
  return { apply, remove, rules: perRuleArgv(owner(900), '-A').length };
}

async function main() {
  const bed = await createTestbed({ label: 'bench-firewall' });
  try {
    const results = {};
    for (const present of [1, 250]) {
      results[present] = {
        ours: await ours(await bed.netns(`fw-ours-${present}`), present),
        peer: await perRule(await bed.netns(`fw-peer-${present}`), present),
      };
    }
    const version = execFileSync('iptables', ['--version'], { encoding: 'utf8' }).trim();
    console.log(`firewall: one connected-namespace owner, ${runs} runs each, ${version}`);
    const row = (label, text) => console.log(`  ${label.padEnd(44)}${text}`);
    for (const present of [1, 250]) {
      const { ours: o, peer: p } = results[present];
      console.log(`\n${present} owner(s) present`);
      row('apply  (ours: iptables-restore x2)', fmt(o.apply));
      row(`apply  (original: iptables -A x${p.rules})`, fmt(p.apply));
      row('remove (ours: iptables-restore x2)', fmt(o.remove));
      row(`remove (original: iptables -D x${p.rules})`, fmt(p.remove));
      row('start-up reset + base after a crash', `${o.reset.toFixed(1).padStart(6)} ms`);
    }
    const growth = (k) => (median(results[250].ours[k]) / median(results[1].ours[k])).toFixed(2);
    const ratio = (n, k) => (median(results[n].peer[k]) / median(results[n].ours[k])).toFixed(1);
    console.log(`\nours, growth 1 -> 250: apply ${growth('apply')}x, remove ${growth('remove')}x`);
    console.log(
      `original / ours: apply ${ratio(1, 'apply')}x and ${ratio(250, 'apply')}x, remove ${ratio(1, 'remove')}x and ${ratio(250, 'remove')}x (1 / 250 present)`,
    );
  } finally {
    await bed.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
