// Prints the ConnectNamespace benchmark's figures: per level and direction each system's median and p90,
// the ratios peer / ours, the growth from the first level to the last, where our time goes, and the goals.

const { median, summary } = require('./stats');

const GOAL_MEDIAN_MS = 10;
const GOAL_RATIO = 3;
const GOAL_GROWTH = 1.5;
const OURS = 'patchpanel';
const PEERS = ['netavark', 'CNI bridge'];
const PEER_STEP = { netavark: ['setup', 'teardown'], 'CNI bridge': ['ADD', 'DEL'] };
const DIRECTIONS = ['setup', 'teardown'];

const out = (text = '') => process.stdout.write(`${text}\n`);
const row = (label, xs) => out(`  ${label.padEnd(68)}${summary(xs)}`);
const pick = (records, key = 'ms') => records.map((r) => r[key]);
const x = (value) => `${value.toFixed(2)}x`;

function printLevel(level, byName, wrapper) {
  const ours = byName[OURS];
  out(`\n${level} namespace(s) already connected`);
  row("          `ip netns exec <ns> true` (the peers' wrapper alone)", wrapper);
  row('setup     patchpanel  ConnectNamespace round trip (client)', pick(ours.setup));
  row("            of which the daemon's setupMs", pick(ours.setup, 'daemonMs'));
  for (const peer of PEERS) row(`setup     ${peer} ${PEER_STEP[peer][0]}`, pick(byName[peer].setup));
  row('teardown  patchpanel  lifeline closed -> "namespace disconnected"', pick(ours.teardown));
  row('            lifeline closed -> host veth gone (ip monitor)', pick(ours.teardown, 'vethGoneMs'));
  row("            the daemon's teardownMs", pick(ours.teardown, 'daemonMs'));
  for (const peer of PEERS) row(`teardown  ${peer} ${PEER_STEP[peer][1]}`, pick(byName[peer].teardown));
}

/** peer / ours by median; with `wrapper`, the median of the peers' `ip netns exec` is taken off the peer first. */
const ratio = (results, level, peer, direction, wrapper) =>
  (median(pick(results[level][peer][direction])) - (wrapper ? median(wrapper[level]) : 0)) /
  median(pick(results[level][OURS][direction]));

const growth = (results, levels, name, direction) =>
  median(pick(results[levels.at(-1)][name][direction])) / median(pick(results[levels[0]][name][direction]));

function printRatios(results, levels, wrapper) {
  out("\npeer / ours (medians; in brackets with the peer's `ip netns exec` wrapper median taken off)");
  const columns = levels.flatMap((level) => DIRECTIONS.map((d) => ({ level, d })));
  out(`  ${''.padEnd(14)}${columns.map(({ level, d }) => `${d} @${level}`.padEnd(20)).join('')}`);
  for (const peer of PEERS) {
    const cells = columns.map(({ level, d }) =>
      `${x(ratio(results, level, peer, d))} (${x(ratio(results, level, peer, d, wrapper))})`.padEnd(20),
    );
    out(`  ${peer.padEnd(14)}${cells.join('')}`);
  }
  out(`\ngrowth from ${levels[0]} to ${levels.at(-1)} connected (median / median)`);
  for (const name of [OURS, ...PEERS]) {
    const cells = DIRECTIONS.map((d) => `${d} ${x(growth(results, levels, name, d))}`);
    out(`  ${name.padEnd(14)}${cells.join('   ')}`);
  }
}

const BREAKDOWN = [
  ['setup', 'dbusMs', 'D-Bus hops + request checks (round trip - setupMs)'],
  ['setup', 'linkMs', 'veth pair, addresses, route by rtnetlink (until host carrier)'],
  ['setup', 'attachAndFirewallMs', 'ip netns attach + firewall apply (iptables-restore x2)'],
  ['teardown', 'wakeMs', 'hangup noticed (until "lifeline closed" is logged)'],
  ['teardown', 'firewallUntilVethGoneMs', 'firewall remove (iptables-restore x2), veth delete begun'],
  ['teardown', 'afterVethGoneMs', 'veth delete completing (kernel), ip netns delete'],
];

function printBreakdown(results, levels) {
  out(`\nwhere our time goes (median of each part in ms, at ${levels.join(' / ')} connected)`);
  let previous;
  for (const [direction, key, label] of BREAKDOWN) {
    const medians = levels.map((level) => median(pick(results[level][OURS][direction], key)).toFixed(1));
    out(`  ${(direction === previous ? '' : direction).padEnd(10)}${label.padEnd(66)}${medians.join(' / ')}`);
    previous = direction;
  }
}

function printGoals(results, levels, wrapper) {
  const verdict = (ok) => (ok ? 'met    ' : 'NOT met');
  out('\ngoals (design §6, issue 5)');
  for (const d of DIRECTIONS) {
    const medians = levels.map((level) => median(pick(results[level][OURS][d])));
    const text = medians.map((m, i) => `${m.toFixed(1)} ms @${levels[i]}`).join(', ');
    out(
      `  ${verdict(medians.every((m) => m <= GOAL_MEDIAN_MS))}  ${d} median <= ${GOAL_MEDIAN_MS} ms: ${text}`,
    );
  }
  for (const d of DIRECTIONS) {
    const all = levels.flatMap((level) =>
      PEERS.map((peer) => ({ level, peer, value: ratio(results, level, peer, d, wrapper) })),
    );
    const worst = all.reduce((a, b) => (b.value < a.value ? b : a));
    out(
      `  ${verdict(worst.value >= GOAL_RATIO)}  ${d} >= ${GOAL_RATIO}x faster than both peers at every level: ` +
        `lowest ${x(worst.value)} (${worst.peer} @${worst.level}, wrapper taken off)`,
    );
  }
  for (const d of DIRECTIONS) {
    const g = growth(results, levels, OURS, d);
    out(
      `  ${verdict(g <= GOAL_GROWTH)}  ${d} growth ${levels[0]} -> ${levels.at(-1)} <= ${GOAL_GROWTH}x: ${x(g)}`,
    );
  }
}

/**
 * `results[level][systemName] = { setup: [records], teardown: [records] }` (see connectors.js);
 * `wrapper[level]`: samples of `ip netns exec <ns> true` at that level.
 */
function printReport({ header, results, levels, wrapper }) {
  for (const line of header) out(line);
  for (const level of levels) printLevel(level, results[level], wrapper[level]);
  printRatios(results, levels, wrapper);
  printBreakdown(results, levels);
  printGoals(results, levels, wrapper);
}

module.exports = { printReport };
