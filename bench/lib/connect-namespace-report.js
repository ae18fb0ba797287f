// Prints the ConnectNamespace benchmark's figures: a summary of every system's medians, per level and direction
// each system's median and p90, the ratios of the others to ours with nftables, the growth from the first level
// to the last, where our time goes with each backend, and the goals (for ours with nftables).

const { median, summary } = require('./stats');

const GOAL_MEDIAN_MS = 10;
const GOAL_RATIO = 3;
const GOAL_GROWTH = 1.5;
/** Our connector's name with firewall `backend`. */
const oursName = (backend) => `ours (${backend})`;
const OURS = oursName('nftables');
const OURS_ALT = oursName('iptables');
const PEERS = ['netavark', 'CNI bridge'];
const SYSTEMS = [OURS, OURS_ALT, ...PEERS];
const PEER_STEP = { netavark: ['setup', 'teardown'], 'CNI bridge': ['ADD', 'DEL'] };
const DIRECTIONS = ['setup', 'teardown'];

const out = (text = '') => process.stdout.write(`${text}\n`);
const row = (label, xs) => out(`  ${label.padEnd(72)}${summary(xs)}`);
const pick = (records, key = 'ms') => records.map((r) => r[key]);
const x = (value) => `${value.toFixed(2)}x`;
const med = (results, level, name, direction, key) => median(pick(results[level][name][direction], key));

function printSummary(results, levels, wrapper) {
  const columns = DIRECTIONS.flatMap((d) =>
    levels.map((level) => `${d === 'setup' ? 'up' : 'down'} @${level}`),
  );
  out('\nmedians in ms (setup: round trip / ADD; teardown: until disconnected / DEL)');
  out(`  ${''.padEnd(22)}${columns.map((c) => c.padStart(10)).join('')}`);
  for (const name of SYSTEMS) {
    const cells = DIRECTIONS.flatMap((d) => levels.map((level) => med(results, level, name, d).toFixed(1)));
    out(`  ${name.padEnd(22)}${cells.map((c) => c.padStart(10)).join('')}`);
  }
  const wrapperCells = levels.map((level) => median(wrapper[level]).toFixed(1).padStart(10));
  out(`  ${'`ip netns exec` alone'.padEnd(22)}${wrapperCells.join('')}`);
}

function printLevel(level, byName, wrapper) {
  out(`\n${level} namespace(s) already connected`);
  row("          `ip netns exec <ns> true` (the peers' wrapper alone)", wrapper);
  for (const name of [OURS, OURS_ALT]) {
    row(`setup     ${name}  ConnectNamespace round trip (client)`, pick(byName[name].setup));
    row("            of which the daemon's setupMs", pick(byName[name].setup, 'daemonMs'));
  }
  for (const peer of PEERS) row(`setup     ${peer} ${PEER_STEP[peer][0]}`, pick(byName[peer].setup));
  for (const name of [OURS, OURS_ALT]) {
    row(`teardown  ${name}  lifeline closed -> "namespace disconnected"`, pick(byName[name].teardown));
    row(
      '            lifeline closed -> host veth gone (ip monitor)',
      pick(byName[name].teardown, 'vethGoneMs'),
    );
    row("            the daemon's teardownMs", pick(byName[name].teardown, 'daemonMs'));
  }
  for (const peer of PEERS) row(`teardown  ${peer} ${PEER_STEP[peer][1]}`, pick(byName[peer].teardown));
}

/** other / ours (nftables) by median; with `wrapper`, the median of `ip netns exec` is taken off `other` first. */
const ratio = (results, level, other, direction, wrapper) =>
  (med(results, level, other, direction) - (wrapper ? median(wrapper[level]) : 0)) /
  med(results, level, OURS, direction);

const growth = (results, levels, name, direction) =>
  med(results, levels.at(-1), name, direction) / med(results, levels[0], name, direction);

function printRatios(results, levels, wrapper) {
  out(
    `\nother / ${OURS} (medians; for the peers, in brackets: their \`ip netns exec\` wrapper median taken off)`,
  );
  for (const d of DIRECTIONS) {
    out(`  ${d.padEnd(24)}${levels.map((level) => `@${level}`.padEnd(18)).join('')}`);
    for (const other of [OURS_ALT, ...PEERS]) {
      const cells = levels.map((level) => {
        const plain = x(ratio(results, level, other, d));
        return (
          PEERS.includes(other) ? `${plain} (${x(ratio(results, level, other, d, wrapper))})` : plain
        ).padEnd(18);
      });
      out(`    ${other.padEnd(22)}${cells.join('')}`);
    }
  }
  out(`\ngrowth from ${levels[0]} to ${levels.at(-1)} connected (median / median)`);
  for (const name of SYSTEMS) {
    const cells = DIRECTIONS.map((d) => `${d} ${x(growth(results, levels, name, d))}`);
    out(`  ${name.padEnd(22)}${cells.join('   ')}`);
  }
}

const BREAKDOWN = [
  ['setup', 'dbusMs', 'D-Bus hops + request checks (round trip - setupMs)'],
  ['setup', 'linkMs', 'veth pair, addresses, route by rtnetlink (until host carrier)'],
  ['setup', 'attachAndFirewallMs', 'netns name (bind mount) + firewall apply'],
  ['teardown', 'wakeMs', 'hangup noticed ("lifeline closed" logged; pino time, 1 ms steps)'],
  ['teardown', 'firewallUntilVethGoneMs', 'helpers told, firewall remove sent, veth delete until its event'],
  ['teardown', 'afterVethGoneMs', 'after the event: veth delete returning, firewall removal'],
];

function printBreakdown(results, levels) {
  const at = levels.join(' / ');
  out(`\nwhere our time goes (median of each part in ms at ${at} connected: ${OURS} | ${OURS_ALT})`);
  let previous;
  for (const [direction, key, label] of BREAKDOWN) {
    const medians = [OURS, OURS_ALT].map((name) =>
      levels.map((level) => med(results, level, name, direction, key).toFixed(1)).join(' / '),
    );
    out(
      `  ${(direction === previous ? '' : direction).padEnd(10)}${label.padEnd(68)}${medians.join('  |  ')}`,
    );
    previous = direction;
  }
}

function printGoals(results, levels, wrapper) {
  const verdict = (ok) => (ok ? 'met    ' : 'NOT met');
  out(`\ngoals for ${OURS} (design §6, issue 5)`);
  for (const d of DIRECTIONS) {
    const medians = levels.map((level) => med(results, level, OURS, d));
    const text = medians.map((m, i) => `${m.toFixed(1)} ms @${levels[i]}`).join(', ');
    const ok = medians.every((m) => m <= GOAL_MEDIAN_MS);
    out(`  ${verdict(ok)}  ${d} median <= ${GOAL_MEDIAN_MS} ms at every level: ${text}`);
  }
  for (const d of DIRECTIONS) {
    for (const peer of PEERS) {
      const values = levels.map((level) => ratio(results, level, peer, d, wrapper));
      const text = values.map((v, i) => `${x(v)} @${levels[i]}`).join(', ');
      const ok = values.every((v) => v >= GOAL_RATIO);
      out(
        `  ${verdict(ok)}  ${d} >= ${GOAL_RATIO}x faster than ${peer} at every level (wrapper taken off): ${text}`,
      );
    }
  }
  for (const d of DIRECTIONS) {
    const g = growth(results, levels, OURS, d);
    out(
      `  ${verdict(g <= GOAL_GROWTH)}  ${d} growth ${levels[0]} -> ${levels.at(-1)} <= ${GOAL_GROWTH}x: ${x(g)}`,
    );
  }
}

/**
 * `results[level][systemName] = { setup: [records], teardown: [records] }` (see connectors.js; ours named by
 * `oursName(backend)`); `wrapper[level]`: samples of `ip netns exec <ns> true` at that level.
 */
function printReport({ header, results, levels, wrapper }) {
  for (const line of header) out(line);
  printSummary(results, levels, wrapper);
  for (const level of levels) printLevel(level, results[level], wrapper[level]);
  printRatios(results, levels, wrapper);
  printBreakdown(results, levels);
  printGoals(results, levels, wrapper);
}

module.exports = { oursName, printReport };
