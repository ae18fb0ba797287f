// Prints the ADB relay benchmark's figures: one table with every system (throughput at 1 and 4 streams with its
// ratios to the direct row and to HAProxy splicing, the relay's CPU, the latency of a new connection, and the
// connections opened at once), then what each row showed beyond its figures, and the project's goals (reported,
// never asserted).

const { median, quantile } = require('./stats');

const GOAL_OF_DIRECT = 0.9;

const WIDTH = 118;

const out = (text = '') => process.stdout.write(`${text}\n`);
const notes = (lines) => {
  for (const line of lines) out(`   ${line}`);
};
/** `text` in lines of at most WIDTH characters, the first indented by 3 spaces and the rest by `hang` more. */
function paragraph(text, hang = 0) {
  let line = '';
  const lines = [];
  for (const word of text.split(' ')) {
    const indent = lines.length === 0 ? 3 : 3 + hang;
    if (line !== '' && indent + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  for (const [i, l] of lines.entries()) out(`${' '.repeat(i === 0 ? 3 : 3 + hang)}${l}`);
}
const fixed = (x, digits, width) => (x === undefined ? '-' : x.toFixed(digits)).padStart(width);
const percent = (x, of, width) =>
  (x === undefined || of === undefined ? '-' : `${Math.round((100 * x) / of)}%`).padStart(width);

/** Per stream count: the median Gbit/s of the runs without error, the relay's CPU % over all runs, failed runs. */
function throughputOf(row, streams) {
  const runs = row.throughput[streams] ?? [];
  const good = runs.filter((run) => run.error === undefined);
  const cpu = runs.filter((run) => run.cpuMs !== undefined);
  const wallMs = cpu.reduce((sum, run) => sum + run.wallMs, 0);
  return {
    gbps: good.length === 0 ? undefined : median(good.map((run) => run.gbps)),
    spread:
      good.length === 0
        ? undefined
        : [Math.min(...good.map((r) => r.gbps)), Math.max(...good.map((r) => r.gbps))],
    cpuPercent: cpu.length === 0 ? undefined : (100 * cpu.reduce((sum, run) => sum + run.cpuMs, 0)) / wallMs,
    failed: runs.filter((run) => run.error !== undefined),
  };
}

const NAME_WIDTH = 34;
const GROUPS = (setup) =>
  `${''.padEnd(NAME_WIDTH)}${'iperf3, 1 stream'.padEnd(27)}${'iperf3, 4 streams'.padEnd(27)}` +
  `${`new connection, ${setup.requestBytes} B echo`.padEnd(27)}${setup.concurrent} at once x ` +
  `${setup.concurrentBytes / 2 ** 20} MiB echoed`;
const COLUMNS =
  `${'system'.padEnd(NAME_WIDTH)}${'Gbit/s   dir HAspl  cpu   '.repeat(2)}` +
  'p50 ms  p99 ms   +p50      errors  wall s  max connect ms';

function throughputCells(row, streams, refs) {
  const { gbps, cpuPercent } = throughputOf(row, streams);
  const direct = throughputOf(refs.direct, streams).gbps;
  const spliced = refs.haproxySplice && throughputOf(refs.haproxySplice, streams).gbps;
  return (
    `${fixed(gbps, 1, 6)}${percent(gbps, direct, 6)}${percent(gbps, spliced, 6)}` +
    `${cpuPercent === undefined ? '-'.padStart(5) : `${Math.round(cpuPercent)}%`.padStart(5)}   `
  );
}

function latencyCells(row, refs) {
  if (row.latency === undefined || row.latency.ms.length === 0) return ''.padEnd(27);
  const p50 = median(row.latency.ms);
  const added = row === refs.direct ? undefined : p50 - median(refs.direct.latency.ms);
  return `${fixed(p50, 3, 6)}${fixed(quantile(row.latency.ms, 0.99), 3, 8)}${fixed(added, 3, 7)}      `;
}

function concurrencyCells(row) {
  const c = row.concurrency;
  if (c === undefined) return '';
  return `${String(c.errors).padStart(6)}${fixed(c.wallMs / 1000, 2, 8)}${fixed(c.slowestConnectMs, 0, 16)}`;
}

/** What a row showed beyond its cells: its runs' spread, failures and why, whether HAProxy spliced. */
function rowNotes(row, setup) {
  const lines = [];
  const spreads = setup.streams
    .map((streams) => ({ streams, ...throughputOf(row, streams) }))
    .filter(({ spread }) => spread !== undefined)
    .map(({ streams, spread }) => `${spread.map((g) => g.toFixed(1)).join('-')} (${streams})`);
  if (spreads.length > 0 && setup.rounds > 1) lines.push(`iperf3 runs ${spreads.join(', ')} Gbit/s`);
  for (const streams of setup.streams) {
    const { failed } = throughputOf(row, streams);
    if (failed.length > 0)
      lines.push(`iperf3 -P ${streams}: ${failed.length} runs failed: ${failed[0].error}`);
  }
  if (row.latency?.errors > 0) {
    lines.push(`${row.latency.errors} of the sequential connections failed: ${row.latency.firstError}`);
  }
  if (row.pipes !== undefined) {
    lines.push(
      row.pipes > 0 ? `spliced (pipes in its pool after the runs: ${row.pipes})` : 'never spliced (no pipe)',
    );
  }
  const c = row.concurrency;
  if (c !== undefined && (c.errors > 0 || c.listenOverflows > 0)) {
    const kernel = `${c.listenOverflows} listen-queue overflows, ${c.cookiesFailed} SYN-cookie ACKs failed (RST sent)`;
    const failed = c.errors === 0 ? 'none failed' : `${c.errors} failed, first: ${c.firstError}`;
    lines.push(`at once: backlog ${c.backlog ?? '?'}, ${kernel}, ${failed}`);
  } else if (c !== undefined) lines.push(`at once: backlog ${c.backlog ?? '?'}, no listen-queue overflow`);
  return lines.length === 0 ? [] : [`${row.name}: ${lines.join('; ')}`];
}

const verdict = (ok) => (ok ? 'met' : 'NOT met');

/** The goals of one of our rows, at every stream count. */
function goalLines(row, refs, setup) {
  const lines = [];
  for (const streams of setup.streams) {
    const ours = throughputOf(row, streams).gbps;
    const direct = throughputOf(refs.direct, streams).gbps;
    const spliced = refs.haproxySplice && throughputOf(refs.haproxySplice, streams).gbps;
    const socats = refs.socats.map((s) => throughputOf(s, streams).gbps).filter((g) => g !== undefined);
    const bestSocat = socats.length === 0 ? undefined : Math.max(...socats);
    const check = (what, reference, factor = 1) =>
      ours === undefined || reference === undefined
        ? `${what}: not assessed`
        : `${what}: ${verdict(ours >= factor * reference)} (${ours.toFixed(1)} vs ${(factor * reference).toFixed(1)})`;
    lines.push(
      `${row.name}, ${streams} stream${streams > 1 ? 's' : ''}: ` +
        [
          check('>= HAProxy splice (forced)', spliced),
          check(`>= ${100 * GOAL_OF_DIRECT}% of direct`, direct, GOAL_OF_DIRECT),
          check('>= socat (better row)', bestSocat),
        ].join('; '),
    );
  }
  return lines;
}

/** `rows`: direct first, then each system `{ name, ours?, haproxySplice?, throughput, latency, ... }`. */
function printReport({ header, rows, setup }) {
  const refs = {
    direct: rows[0],
    haproxySplice: rows.find((row) => row.haproxySplice === 'forced'),
    socats: rows.filter((row) => row.name.startsWith('socat')),
  };
  for (const line of header) out(line);
  out();
  notes([GROUPS(setup), COLUMNS]);
  for (const row of rows) {
    const cells = setup.streams.map((streams) => throughputCells(row, streams, refs)).join('');
    notes([`${row.name.padEnd(NAME_WIDTH)}${cells}${latencyCells(row, refs)}${concurrencyCells(row)}`]);
  }
  const auto = rows.find((row) => row.haproxySplice === 'auto');
  const autoSpliced =
    auto?.pipes === undefined
      ? ''
      : auto.pipes > 0
        ? ' (splice-auto spliced too in this run)'
        : " (kernel splicing forced: splice-auto's heuristics never chose it in this run, see below)";
  out();
  paragraph(
    `iperf3: client -> system -> iperf3 -s, the client sending, ${setup.seconds} s per run, ${setup.rounds} runs ` +
      'per system and stream count (systems interleaved), the median shown. dir = % of direct; HAspl = % of ' +
      `HAProxy with splice-request/-response${autoSpliced}. cpu = the relay process's CPU time (user + system, ` +
      "socat's forked copies included) over " +
      'the runs, 100% = one CPU. With a relay, three busy processes (iperf3 client, relay, iperf3 server) share ' +
      `the ${setup.cpus} CPUs; direct has two.`,
  );
  paragraph(
    `new connection: connect, ${setup.requestBytes} B sent, the same ${setup.requestBytes} B back from a Node echo ` +
      `server (a process of its own), FIN; ${setup.connections} one after another per system, in ` +
      `${setup.latencyRounds} interleaved blocks (${setup.warmup} untimed connections first in each); ms from the ` +
      "connect call to the last byte back; +p50 = minus direct's p50.",
  );
  paragraph(
    `at once: ${setup.concurrent} connections opened together, each sends ${setup.concurrentBytes / 2 ** 20} MiB ` +
      'of random bytes and FIN and must get exactly those bytes back (SHA-256) and a FIN; errors = connections ' +
      'that did not; wall = all of them; max connect = the slowest connect (1000+ ms: a SYN dropped and sent ' +
      'again); backlog = what `ss -l` shows for the socket the clients connect to. With the accept queue full, ' +
      'the kernel answers SYNs with SYN cookies and drops the handshake ACKs; the segments a client sends next ' +
      'then fail the cookie check and are answered with a RST.',
  );
  out();
  for (const line of rows.flatMap((row) => rowNotes(row, setup))) paragraph(line, 2);
  out();
  out('   goals, throughput of ours (Gbit/s, ours vs the goal):');
  for (const line of rows
    .filter((row) => row.ours !== undefined)
    .flatMap((row) => goalLines(row, refs, setup))) {
    paragraph(line, 2);
  }
}

module.exports = { printReport };
