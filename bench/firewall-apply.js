#!/usr/bin/env node
// Firewall benchmark: the cost of applying and of removing one owner (a connected namespace's rule set) with 1,
// 50 and 250 owners present, through each of the daemon's firewall backends (nftables: one `inet patchpanel`
// table, one nf_tables netlink transaction per change, the reset through a long-lived `nft -i`; iptables: one
// iptables-restore per family per change), next to the original's way in the same run: one `iptables` process per rule, appended to the
// built-in chains, then deleted by spec. Also the start-up reset after a crash that left the owners behind.
// Every backend and size runs in a fresh test-bed namespace (nothing in the root namespace). Root only.
//   npm run build && node bench/firewall-apply.js [--runs N]

const { execFileSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');
const pino = require('pino');
const { createTestbed } = require('@patchpanel/testbed');
const fw = require('../packages/manager/dist/datapath/firewall');
const { median } = require('./lib/stats');

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 20;
const RESETS = 3;
const SIZES = [1, 50, 250];
const BACKENDS = [
  { kind: 'nftables', label: 'ours, nftables (1 netlink transaction)' },
  { kind: 'iptables', label: 'ours, iptables (iptables-restore x2)' },
];
const log = pino({ level: 'silent' });

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
const MEASURED = owner(900);

async function timed(work) {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/**
 * The daemon's way with backend `kind`: `present` owners applied, then one more applied and removed `runs`
 * times; then `RESETS` times a new firewall starts over what the previous one left (a crash), and applies the
 * owners again. Every firewall is stopped at the end (each nftables one holds an `nft` process).
 */
async function ours(ns, kind, present) {
  const firewalls = [];
  const start = async (record) => {
    const firewall = fw.createFirewall({
      store: fw.selectFirewallStore({ kind, netnsPath: ns.path }, log),
      log,
    });
    firewalls.push(firewall);
    record(await timed(() => firewall.start(base)));
    for (let n = 0; n < present; n += 1) await firewall.apply(owner(n));
    return firewall;
  };
  try {
    const firewall = await start(() => {});
    const apply = [];
    const remove = [];
    for (let i = 0; i < runs; i += 1) {
      apply.push(await timed(() => firewall.apply(MEASURED)));
      remove.push(await timed(() => firewall.remove(MEASURED.owner)));
    }
    const reset = [];
    for (let i = 0; i < RESETS; i += 1) await start((ms) => reset.push(ms));
    return { apply, remove, reset };
  } finally {
    for (const firewall of firewalls.reverse()) await firewall.stop();
  }
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
    const restore = family === 'ipv4' ? 'iptables-restore' : 'ip6tables-restore';
    execFileSync('nsenter', [`--net=${ns.path}`, '--', restore], { input: `${lines.join('\n')}\n` });
  }
  const apply = [];
  const remove = [];
  for (let i = 0; i < runs; i += 1) {
    apply.push(await timed(async () => perRuleArgv(MEASURED, '-A').forEach(run)));
    remove.push(await timed(async () => perRuleArgv(MEASURED, '-D').forEach(run)));
  }
  return { apply, remove };
}

const ms = (xs) => `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)})`;
const x = (value) => `${value.toFixed(1)}x`;
const MEASURES = ['apply', 'remove', 'reset'];

function describeOwner() {
  const calls = perRuleArgv(MEASURED, '-A');
  const count = (tool) => calls.filter((argv) => argv[0] === tool).length;
  const tables = new Set(calls.map((argv) => `${argv[0]} ${argv[3]}`)).size;
  return `${count('iptables')} IPv4 + ${count('ip6tables')} IPv6 rules in ${tables} tables`;
}

function printTable(results) {
  const versions = ['iptables', 'nft'].map((tool) =>
    execFileSync(tool, ['--version'], { encoding: 'utf8' }).trim(),
  );
  console.log(`firewall: one connected-namespace owner (${describeOwner()}), ${versions.join(', ')}`);
  console.log(
    `apply/remove: ${runs} runs each; reset (a new firewall over a crashed one's rules): ${RESETS} runs`,
  );
  console.log('median (min-max) in ms, a fresh namespace per backend and size\n');
  const line = (cells) =>
    console.log(
      `  ${cells[0].padEnd(42)}${cells[1].padStart(7)}   ${cells
        .slice(2)
        .map((c) => c.padEnd(22))
        .join('')}`,
    );
  line(['', 'owners', 'apply', 'remove', 'start-up reset + base']);
  for (const { kind, label } of [
    ...BACKENDS,
    { kind: 'original', label: 'original (iptables -A / -D by spec)' },
  ]) {
    for (const size of SIZES) {
      const r = results[kind][size];
      line([
        size === SIZES[0] ? label : '',
        String(size),
        ms(r.apply),
        ms(r.remove),
        r.reset ? ms(r.reset) : '-',
      ]);
    }
  }
}

function printRatios(results) {
  const ratio = (peer, k, size) => median(results[peer][size][k]) / median(results.nftables[size][k]);
  const sizes = SIZES.join(' / ');
  console.log(`\nratios by median, at ${sizes} owners present`);
  for (const k of MEASURES) {
    const cells = SIZES.map((size) => x(ratio('iptables', k, size))).join(' / ');
    console.log(`  iptables / nftables  ${k.padEnd(8)}${cells}`);
  }
  for (const k of ['apply', 'remove']) {
    const cells = SIZES.map((size) => x(ratio('original', k, size))).join(' / ');
    console.log(`  original / nftables  ${k.padEnd(8)}${cells}`);
  }
  console.log(`\ngrowth ${SIZES[0]} -> ${SIZES.at(-1)} owners present (median / median)`);
  for (const { kind } of BACKENDS) {
    const growth = (k) => median(results[kind][SIZES.at(-1)][k]) / median(results[kind][SIZES[0]][k]);
    console.log(`  ${kind.padEnd(10)}${MEASURES.map((k) => `${k} ${growth(k).toFixed(2)}x`).join('   ')}`);
  }
}

async function main() {
  const bed = await createTestbed({ label: 'bench-firewall' });
  const results = { original: {} };
  try {
    for (const { kind } of BACKENDS) {
      results[kind] = {};
      for (const size of SIZES)
        results[kind][size] = await ours(await bed.netns(`fw-${kind}-${size}`), kind, size);
    }
    for (const size of SIZES)
      results.original[size] = await perRule(await bed.netns(`fw-peer-${size}`), size);
  } finally {
    await bed.teardown();
  }
  printTable(results);
  printRatios(results);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
