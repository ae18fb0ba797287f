// The loads of the ADB relay benchmark, each run against one port on 127.0.0.1 (a relay's, or the server's for
// the direct row): iperf3 throughput, sequential connections each with one small round trip to an echo server,
// and many connections at once each moving a few MiB through the echo server, checked byte for byte.

const { execFile } = require('node:child_process');
const { createHash, randomBytes } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { connect } = require('node:net');
const { setTimeout: sleep } = require('node:timers/promises');
const { trackChild } = require('./local-processes');
const { elapsedMs } = require('./stats');

const IPERF_BUSY_RETRIES = 10;

function iperfOnce(iperf3, args) {
  return new Promise((resolve) => {
    const child = execFile(
      iperf3,
      args,
      { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (error, stdout) => {
        let report;
        try {
          report = JSON.parse(stdout);
        } catch {
          report = { error: error ? error.message : 'no JSON output' };
        }
        resolve(report);
      },
    );
    trackChild(child);
  });
}

/**
 * `iperf3 -c 127.0.0.1 -p <port> -t <seconds> -P <streams> -J`: the client sends, the server counts. Resolves
 * `{ gbps, retransmits }` from the server's count (end.sum_received), or `{ error }`. iperf3 opens its control
 * connection and then its data connections, all to the same port, so a relay carries all of them.
 */
async function iperfThroughput(iperf3, port, { seconds, streams }) {
  const args = ['-c', '127.0.0.1', '-p', String(port), '-t', String(seconds), '-P', String(streams), '-J'];
  for (let attempt = 0; ; attempt += 1) {
    const report = await iperfOnce(iperf3, args);
    // The server takes one test at a time and needs a moment after the previous one.
    if (/busy/.test(report.error ?? '') && attempt < IPERF_BUSY_RETRIES) {
      await sleep(300);
      continue;
    }
    if (report.error !== undefined) return { error: report.error };
    const received = report.end.sum_received;
    return { gbps: received.bits_per_second / 1e9, retransmits: report.end.sum_sent.retransmits ?? 0 };
  }
}

/**
 * One connection: connect, send `request`, wait until as many bytes came back, then FIN and wait for the close
 * (not timed). Resolves `{ ms, connectMs }` from the connect call to the last byte of the answer.
 */
function roundTrip(port, request, timeoutMs) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let connectMs;
    let answerMs;
    let got = 0;
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    const timer = setTimeout(() => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => {
      connectMs = elapsedMs(started);
      socket.write(request);
    });
    socket.on('data', (chunk) => {
      got += chunk.length;
      if (got >= request.length && answerMs === undefined) {
        answerMs = elapsedMs(started);
        socket.end();
      }
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      if (answerMs === undefined) reject(new Error(`closed after ${got} of ${request.length} bytes`));
      else resolve({ ms: answerMs, connectMs });
    });
  });
}

/**
 * `count` connections one after another (after `warmup` untimed ones), each one round trip of `requestBytes`.
 * Resolves `{ ms: [...], connectMs: [...], errors, firstError }`.
 */
async function sequentialConnections(port, { count, warmup, requestBytes, timeoutMs = 5_000 }) {
  const request = randomBytes(requestBytes);
  const result = { ms: [], connectMs: [], errors: 0, firstError: undefined };
  for (let n = 0; n < warmup + count; n += 1) {
    try {
      const { ms, connectMs } = await roundTrip(port, request, timeoutMs);
      if (n < warmup) continue;
      result.ms.push(ms);
      result.connectMs.push(connectMs);
    } catch (error) {
      result.errors += 1;
      result.firstError ??= error.message;
    }
  }
  return result;
}

/** One connection that sends `payload` then FIN, and checks the echo (length and SHA-256) until the server's FIN. */
function transfer(port, payload, digest, timeoutMs) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    let connectMs;
    let got = 0;
    let ended = false;
    const hash = createHash('sha256');
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => socket.destroy(new Error(`not done within ${timeoutMs} ms`)), timeoutMs);
    let error;
    socket.once('connect', () => {
      connectMs = elapsedMs(started);
      socket.end(payload);
    });
    socket.on('data', (chunk) => {
      got += chunk.length;
      hash.update(chunk);
    });
    socket.once('end', () => {
      ended = true;
    });
    socket.once('error', (e) => {
      error = e;
    });
    socket.once('close', () => {
      clearTimeout(timer);
      if (error === undefined && !ended) error = new Error('closed without FIN');
      if (error === undefined && got !== payload.length)
        error = new Error(`${got} of ${payload.length} bytes back`);
      if (error === undefined && hash.digest('hex') !== digest)
        error = new Error('the bytes came back changed');
      resolve({ error, connectMs, ms: elapsedMs(started) });
    });
  });
}

/**
 * `connections` connections opened at once, each sending `bytes` random bytes (the same for all) and reading them
 * back. Resolves `{ errors, firstError, wallMs, slowestConnectMs, mibPerSecond }` (MiB/s each way, all together).
 */
async function concurrentTransfers(port, { connections, bytes, timeoutMs = 60_000 }) {
  const payload = randomBytes(bytes);
  const digest = createHash('sha256').update(payload).digest('hex');
  const started = process.hrtime.bigint();
  const results = await Promise.all(
    Array.from({ length: connections }, () => transfer(port, payload, digest, timeoutMs)),
  );
  const wallMs = elapsedMs(started);
  const failed = results.filter((r) => r.error !== undefined);
  const connects = results.map((r) => r.connectMs).filter((ms) => ms !== undefined);
  return {
    errors: failed.length,
    firstError: failed[0]?.error.message,
    wallMs,
    slowestConnectMs: Math.max(...connects),
    mibPerSecond: (connections * bytes) / 2 ** 20 / (wallMs / 1000),
  };
}

/**
 * The kernel's counters (this namespace, every socket) that tell why connections opened at once failed: accepts
 * refused for a full listen queue, and SYN-cookie ACKs that did not validate (each answered with a RST).
 */
function listenCounters() {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
  const index = lines.findIndex((line) => line.startsWith('TcpExt:'));
  const names = lines[index].split(' ');
  const values = lines[index + 1].split(' ').map(Number);
  const value = (name) => values[names.indexOf(name)];
  return { listenOverflows: value('ListenOverflows'), cookiesFailed: value('SyncookiesFailed') };
}

module.exports = { listenCounters, iperfThroughput, sequentialConnections, concurrentTransfers };
