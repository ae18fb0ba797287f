#!/usr/bin/env node
// The ADB relay: ours (RelayServer of @patchpanel/adb-proxy, splice and stream relays) next to socat and HAProxy,
// and next to no relay at all, all on 127.0.0.1 in one run. (1) iperf3 throughput, 1 and 4 streams. (2) A new
// connection with one small round trip to an echo server, 1000 one after another. (3) 100 connections opened at
// once, each echoing a few MiB, checked byte for byte. Not a test: goals are reported, never asserted.
//   npm run build && node bench/adb-relay.js [--seconds S] [--rounds N]
// Needs iperf3, socat and haproxy (installed from Debian when run as root). Root is not needed otherwise: nothing
// outside this process's own children and the loopback is touched.

const { execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { cpus, loadavg, release, tmpdir } = require('node:os');
const path = require('node:path');
const { printReport } = require('./lib/adb-relay-report');
const { ensureDebianPackages } = require('./lib/debian-packages');
const {
  cleanupOnSignals,
  freePorts,
  listenBacklog,
  startProcess,
  stopAll,
  treeCpuMs,
} = require('./lib/local-processes');
const {
  concurrentTransfers,
  iperfThroughput,
  listenCounters,
  sequentialConnections,
} = require('./lib/relay-load');
const { elapsedMs } = require('./lib/stats');
const { direct, haproxy, ours, socat } = require('./lib/tcp-relays');

const numberArg = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return (index > 0 && Number(process.argv[index + 1])) || fallback;
};
const SETUP = {
  seconds: numberArg('--seconds', 2), // per iperf3 run
  rounds: numberArg('--rounds', 3), // iperf3 runs per system and stream count; the median is reported
  streams: [1, 4],
  connections: 1000, // sequential, per system
  latencyRounds: 5, // the connections in this many interleaved blocks
  warmup: 20, // untimed connections per block
  requestBytes: 64,
  concurrent: 100,
  concurrentBytes: 4 * 2 ** 20,
  socatBuffer: 262_144,
  cpus: cpus().length,
};

/** Every row in table order. */
function systems(tools, dir) {
  return [
    direct,
    ours('splice'),
    ours('stream'),
    socat(tools.socat),
    socat(tools.socat, SETUP.socatBuffer),
    haproxy(tools.haproxy, dir, 'none'),
    haproxy(tools.haproxy, dir, 'auto'),
    haproxy(tools.haproxy, dir, 'forced'),
  ];
}

/** `list` rotated by `k`: each round starts with another system, so a slow spell does not hit one alone. */
const rotated = (list, k) => [...list.slice(k % list.length), ...list.slice(0, k % list.length)];

/** iperf3 through each system, SETUP.rounds times per stream count (interleaved); the relay's CPU over the runs. */
async function throughput(rows, iperf3) {
  for (const streams of SETUP.streams) {
    for (let round = 0; round < SETUP.rounds; round += 1) {
      for (const row of rotated(rows, round)) {
        const { port, pid } = row.toIperf;
        const cpuBefore = pid === undefined ? 0 : treeCpuMs(pid);
        const started = process.hrtime.bigint();
        const result = await iperfThroughput(iperf3, port, { seconds: SETUP.seconds, streams });
        const wallMs = elapsedMs(started);
        const cpuMs = pid === undefined ? undefined : treeCpuMs(pid) - cpuBefore;
        row.throughput[streams] = [...(row.throughput[streams] ?? []), { ...result, wallMs, cpuMs }];
      }
    }
  }
}

/** SETUP.connections sequential connections per system, in interleaved blocks. */
async function latency(rows) {
  const perRound = Math.ceil(SETUP.connections / SETUP.latencyRounds);
  for (let round = 0; round < SETUP.latencyRounds; round += 1) {
    for (const row of rotated(rows, round)) {
      const block = await sequentialConnections(row.toEcho.port, {
        count: perRound,
        warmup: SETUP.warmup,
        requestBytes: SETUP.requestBytes,
      });
      row.latency ??= { ms: [], connectMs: [], errors: 0, firstError: undefined };
      row.latency.ms.push(...block.ms);
      row.latency.connectMs.push(...block.connectMs);
      row.latency.errors += block.errors;
      row.latency.firstError ??= block.firstError;
    }
  }
}

/** SETUP.concurrent connections at once per system, with the kernel's listen-queue counters around each. */
async function concurrency(rows) {
  for (const row of rows) {
    const before = listenCounters();
    const result = await concurrentTransfers(row.toEcho.port, {
      connections: SETUP.concurrent,
      bytes: SETUP.concurrentBytes,
    });
    const after = listenCounters();
    row.concurrency = {
      backlog: listenBacklog(row.toEcho.port),
      ...result,
      listenOverflows: after.listenOverflows - before.listenOverflows,
      cookiesFailed: after.cookiesFailed - before.cookiesFailed,
    };
  }
}

/** The first line of `argv`'s output that matches `pattern`, trimmed. */
const versionLine = (argv, pattern) =>
  execFileSync(argv[0], argv.slice(1), { encoding: 'utf8' })
    .split('\n')
    .find((line) => pattern.test(line))
    ?.trim();

function versions(tools) {
  return [
    `node ${process.version}`,
    versionLine([tools.iperf3, '--version'], /^iperf /)?.split(' (')[0],
    versionLine([tools.socat, '-V'], /^socat version/)?.split(' on ')[0],
    versionLine([tools.haproxy, '-v'], /^HAProxy version/)
      ?.split(' ')
      .slice(0, 3)
      .join(' '),
  ];
}

async function main() {
  const tools = ensureDebianPackages({ iperf3: 'iperf3', socat: 'socat', haproxy: 'haproxy' });
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-bench-adb-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  cleanupOnSignals(removeDir);
  const loadBefore = loadavg()[0];
  const started = process.hrtime.bigint();
  let rows;
  try {
    const [iperfPort, echoPort] = await freePorts(2);
    await startProcess([tools.iperf3, '-s', '-B', '127.0.0.1', '-p', String(iperfPort)], {
      ready: { listening: iperfPort },
    });
    const echoServer = path.join(__dirname, 'lib/echo-server.js');
    await startProcess([process.execPath, echoServer, String(echoPort)], {
      ready: { stdout: /^listening$/m },
    });
    rows = systems(tools, dir).map((system) => ({ ...system, throughput: {} }));
    // Each system twice, one relaying to iperf3's server and one to the echo server; all stay up throughout.
    for (const row of rows) {
      row.toIperf = await row.start(iperfPort);
      row.toEcho = await row.start(echoPort);
    }
    await throughput(rows, tools.iperf3);
    await latency(rows);
    await concurrency(rows);
    for (const row of rows) if (row.toIperf.pipes) row.pipes = await row.toIperf.pipes();
  } finally {
    await stopAll();
    removeDir();
  }
  const header = [
    'adb-relay: ours (RelayServer of @patchpanel/adb-proxy) vs socat and HAProxy, TCP on 127.0.0.1, one run',
    `   ${cpus().length} CPUs, Linux ${release()}; load average ${loadBefore.toFixed(2)} before, ` +
      `${loadavg()[0].toFixed(2)} after (${(elapsedMs(started) / 1000).toFixed(0)} s)`,
    `   ${versions(tools).join(', ')}`,
    '   ours: a Node process of its own, pino at warn; socat: TCP-LISTEN:<port>,bind=127.0.0.1,reuseaddr,fork, one',
    '   forked copy per connection; HAProxy: -db (foreground), nbthread 1, mode tcp, one `listen` section',
  ];
  printReport({ header, rows, setup: SETUP });
}

main().catch(async (error) => {
  console.error(error);
  await stopAll();
  process.exit(1);
});
