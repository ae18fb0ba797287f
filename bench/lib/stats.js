// Order statistics for benchmark samples (milliseconds).

/** The q-quantile (0..1) by the nearest-rank method. */
function quantile(xs, q) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const median = (xs) => quantile(xs, 0.5);
const p90 = (xs) => quantile(xs, 0.9);

/** `median   8.1 ms  p90   9.7 ms` */
const summary = (xs) =>
  `median ${median(xs).toFixed(1).padStart(6)} ms  p90 ${p90(xs).toFixed(1).padStart(6)} ms`;

const elapsedMs = (from, to = process.hrtime.bigint()) => Number(to - from) / 1e6;

module.exports = { quantile, median, p90, summary, elapsedMs };
