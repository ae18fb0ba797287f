// Long-lived processes a benchmark runs in its own namespace (servers, relays on loopback), without a test bed:
// each is started from an argv, counted ready by an output line or a listening port, and stopped by its PID.
// Every one still running is stopped at the end, on failure and on SIGINT/SIGTERM/SIGHUP.

const { execFileSync, spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { createServer } = require('node:net');
const { constants } = require('node:os');
const { setTimeout: sleep } = require('node:timers/promises');
const { stopChild } = require('./processes');

const running = new Set();
const READY_POLL_MS = 20;
const OUTPUT_KEPT = 4000;

/** Whether something listens on TCP `port` of the loopback (or any) address, from /proc/net/tcp{,6}. */
function isListening(port) {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return ['/proc/net/tcp', '/proc/net/tcp6'].some((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .some(([, local, , state]) => local?.endsWith(hexPort) && state === '0A'),
  );
}

/** The backlog of the socket listening on 127.0.0.1:`port` (what `ss -l` shows as its Send-Q), or undefined. */
function listenBacklog(port) {
  const text = execFileSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' });
  const [, , sendQ] = text.trim().split(/\s+/);
  return sendQ === undefined ? undefined : Number(sendQ);
}

/** `count` distinct TCP ports that were free on 127.0.0.1 a moment ago (bound to port 0 at once, then closed). */
async function freePorts(count) {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen({ host: '127.0.0.1', port: 0 }, () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => server.address().port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/**
 * Spawns `argv` (no shell) and resolves once it is ready: `ready.stdout` matched by its output, or
 * `ready.listening` (a port) in LISTEN. Rejects, with its last output, if it exits or is not ready in time.
 * Returns `{ pid, argv, output(), stop() }`; stop sends SIGTERM to that PID, then SIGKILL.
 */
async function startProcess(argv, { ready = {}, timeoutMs = 10_000 } = {}) {
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-OUTPUT_KEPT);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  const proc = {
    pid: child.pid,
    argv,
    output: () => output,
    stop: async () => {
      await stopChild(child, 2000);
      running.delete(proc);
    },
  };
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const spawnError = new Promise((resolve) => child.once('error', resolve));
  if (child.pid === undefined) throw new Error(`${argv[0]}: ${(await spawnError).message}`);
  running.add(proc);
  const started = Date.now();
  for (;;) {
    const isReady = ready.stdout
      ? ready.stdout.test(output)
      : ready.listening
        ? isListening(ready.listening)
        : true;
    if (isReady) return proc;
    const exit = await Promise.race([exited, sleep(READY_POLL_MS)]);
    const problem =
      exit !== undefined
        ? `exited (${exit.code ?? exit.signal})`
        : Date.now() - started > timeoutMs
          ? `not ready within ${timeoutMs} ms`
          : undefined;
    if (problem !== undefined) {
      await proc.stop();
      throw new Error(`${argv.join(' ')} ${problem}; its output: ${output.trim().slice(-500)}`);
    }
  }
}

/** Counts a short-lived `child` (a client run to its end) among the processes stopped at the end or on a signal. */
function trackChild(child) {
  const proc = { stop: () => stopChild(child, 2000) };
  running.add(proc);
  child.once('exit', () => running.delete(proc));
  return child;
}

/** Stops every process started here that is still running. */
async function stopAll() {
  await Promise.allSettled([...running].map((proc) => proc.stop()));
}

/**
 * SIGINT/SIGTERM/SIGHUP: `cleanup()` after every process is stopped, then exit; a second signal exits at once.
 * (process.on, not once, so a second signal finds a listener and does not kill us before the cleanup.)
 */
function cleanupOnSignals(cleanup = () => {}) {
  let interrupted = false;
  const onSignal = (signal) => {
    const exit = () => process.exit(128 + constants.signals[signal]);
    if (interrupted) exit();
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping ${running.size} processes\n`);
    stopAll().then(cleanup).finally(exit);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);
}

/**
 * CPU time of `pid` so far in ms, user + system, its reaped children's included (socat's forked copies):
 * fields utime, stime, cutime, cstime of /proc/<pid>/stat, in clock ticks of 10 ms.
 */
function treeCpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) * 10;
}

module.exports = {
  startProcess,
  trackChild,
  stopAll,
  cleanupOnSignals,
  freePorts,
  isListening,
  listenBacklog,
  treeCpuMs,
};
