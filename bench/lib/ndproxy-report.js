// Prints the ND proxy benchmark's figures: the first-packet RTT per system with cold caches, then per system and
// offered rate the NS frames that got through, each with what its numbers mean, and the project's goals.

const { median, quantile } = require('./stats');

const GOAL_RTT_MS = 0.2;
const GOAL_RATE = 10_000;
const EARLIER = 'measured here earlier: ndppd 0.11 ms, kernel proxy_ndp 241-299 ms';

const out = (text = '') => process.stdout.write(`${text}\n`);
const notes = (lines) => {
  for (const line of lines) out(`   ${line}`);
};
const ms = (x) => x.toFixed(3).padStart(8);
const range = (xs) =>
  Math.min(...xs) === Math.max(...xs) ? `${xs[0]}` : `${Math.min(...xs)}-${Math.max(...xs)}`;

function printLatency(results, setup) {
  out(`\n1. first-packet RTT lan -> ${setup.guest}, cold caches (ping -6 -c1 -W2 from the lan; ms)`);
  notes([
    `before each round: ${setup.pauseMs} ms pause, then \`ip -6 neigh flush\` of lan0, eth0, gst0 and g0;`,
    `${setup.warmupRounds} warm-up rounds per system not counted`,
    `${'system'.padEnd(26)}rounds  lost    median       p95       min       max  NS at guest/round`,
  ]);
  for (const r of results) {
    const stats =
      r.rtts.length === 0
        ? ['-', '-', '-', '-'].map((c) => c.padStart(8))
        : [median(r.rtts), quantile(r.rtts, 0.95), Math.min(...r.rtts), Math.max(...r.rtts)].map(ms);
    const counts = `${String(r.rtts.length + r.lost).padStart(6)}${String(r.lost).padStart(6)}`;
    out(`   ${r.name.padEnd(26)}${counts}  ${stats.join('  ')}  ${range(r.nsAtGuest)}`);
  }
  notes([
    'NS at guest/round: NS for the guest that reached g0 during the ping. 2 = the proxy asked the guest',
    "(ours relays the lan's NS, ndppd sends its own) + the host kernel's look-up before it forwards the echo",
    "request; 1 = only the kernel's (proxy_ndp answers without asking; for ndppd it would mean a warm session).",
    `ndppd runs with \`ttl ${setup.ndppdColdTtlMs}\`: its session is gone <= ~300 ms after a round (ttl, one renewal,`,
    'ttl, 50 ms poll ticks), within the pause. Ours keeps the neighbours it learnt from relayed frames (they',
    'cannot be flushed from outside); an NS to a solicited-node group needs none, and the NA back to the lan',
    'uses the entry that NS itself just taught it. proxy_ndp: default proxy_delay, a random 0-0.8 s wait.',
  ]);
  const ours = median(results[0].rtts);
  out(`   goal: ours median <= ${GOAL_RTT_MS} ms: ${ours <= GOAL_RTT_MS ? 'met' : 'NOT met'} (${ours} ms)`);
  out(`   ${EARLIER}`);
}

function printThroughput(results, setup) {
  out(
    `\n2. NS frames/s from lan0 (valid NS for ${setup.guest} to ff02::1:ff00:100, ${setup.secondsPerRate} s each)`,
  );
  notes([
    "rx <if>: packets the kernel counted as received on the host's eth0, the guest's g0 and lan0 (a few more",
    "than sent: the hosts' own ND and MLD). Ours relays every NS to the guest: delivered = rx g0; with rx eth0",
    "= sent, a shortfall is lost inside the host, in the proxy. Its rx lan0 holds the guest's NAs relayed back",
    'plus the same NAs routed by the host kernel (hop limit 254, ignored by the lan). ndppd answers from its',
    'session cache and forwards no NS (rx g0 ~ 0): delivered = rx lan0, its NAs, one per NS while it keeps up',
    `(\`ttl ${setup.ndppdWarmTtlMs}\`, session made by one ping first). loss = 1 - delivered / sent.`,
    `${'system'.padEnd(26)}offered/s      sent   rx eth0     rx g0   rx lan0  delivered  loss %`,
  ]);
  for (const [index, r] of results.entries()) {
    for (const s of r.steps) {
      const delivered = index === 0 ? s.g0 : s.lan0;
      const offered = String(Math.round((s.sent * 1000) / s.ms)).padStart(9);
      const cells = [s.sent, s.eth0, s.g0, s.lan0].map((n) => String(n).padStart(10)).join('');
      const loss = ((100 * Math.max(0, s.sent - delivered)) / s.sent).toFixed(2).padStart(8);
      out(`   ${r.name.padEnd(26)}${offered}${cells}${String(delivered).padStart(11)}${loss}`);
    }
    if (r.note !== undefined) out(`   ${r.name} ${r.note}`);
  }
  const atGoal = results[0].steps.find((s) => s.rate === GOAL_RATE);
  const lost = Math.max(0, atGoal.sent - atGoal.g0);
  out(
    `   goal: ours without loss at ${GOAL_RATE} frames/s: ${lost === 0 ? 'met' : 'NOT met'} (${lost} lost)`,
  );
}

/** `latencies`: `{ name, rtts, lost, nsAtGuest }` per system; `rates`: `{ name, steps, note? }` per system. */
function printReport({ header, latencies, rates, setup }) {
  for (const line of header) out(line);
  printLatency(latencies, setup);
  printThroughput(rates, setup);
}

module.exports = { printReport };
