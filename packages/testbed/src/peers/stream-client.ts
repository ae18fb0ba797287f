// Stream client: opens TCP connections to an echo server and checks what comes back.
// Transfer mode: each connection sends --bytes random bytes (or --payload), FINs and reads until the server's
// FIN (reading nothing for --stall-ms first, then slowly with --read-delay-ms); one JSON line {ok, connections}
// at the end with counts and SHA-256 of both directions; a connection still open after --timeout-ms ends with
// the error 'timeout'. Hold mode (--hold): each connection pings every --ping-ms; prints {"event":"connected"},
// {"event":"echo"} per ping that came back, {"event":"closed"} when it ends, {"ready":true} once every
// connection is up or failed, and {"done":true} once all are closed.
import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { StreamTransferResult } from '../services/stream';
import { printLine } from './output';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '' },
    port: { type: 'string', default: '0' },
    connections: { type: 'string', default: '1' },
    bytes: { type: 'string', default: '0' },
    payload: { type: 'string', default: '' },
    'read-delay-ms': { type: 'string', default: '0' },
    'stall-ms': { type: 'string', default: '0' },
    hold: { type: 'boolean', default: false },
    'ping-ms': { type: 'string', default: '200' },
    'timeout-ms': { type: 'string', default: '60000' },
  },
});
const CHUNK = 64 * 1024;
const readDelayMs = Number(values['read-delay-ms']);
const stallMs = Number(values['stall-ms']);
const pingMs = Number(values['ping-ms']);
const sockets = new Set<Socket>();
const open = (): Socket => {
  const socket = connect({ host: values.host ?? '', port: Number(values.port), allowHalfOpen: true });
  sockets.add(socket);
  return socket.once('close', () => sockets.delete(socket));
};
const codeOf = (err: Error | undefined): string | null =>
  err === undefined ? null : ((err as NodeJS.ErrnoException).code ?? err.message);

/** What to send: the payload, or `bytes` random bytes; the first byte is never 'C', so no fake CNXN. */
function* outgoing(bytes: number, payload: string): Generator<Buffer> {
  if (bytes === 0) {
    if (payload !== '') yield Buffer.from(payload);
    return;
  }
  for (let offset = 0; offset < bytes; offset += CHUNK) {
    const chunk = randomBytes(Math.min(CHUNK, bytes - offset));
    if (offset === 0) chunk[0] = 0;
    yield chunk;
  }
}

function transfer(id: number, bytes: number, payload: string): Promise<StreamTransferResult> {
  const started = Date.now();
  const sentHash = createHash('sha256');
  const receivedHash = createHash('sha256');
  let sent = 0;
  let received = 0;
  let receivedAtFin = -1;
  let sentDuringStall = -1;
  let peerFin = false;
  let error: Error | undefined;
  const socket = open();
  const source = Readable.from(
    (function* () {
      for (const chunk of outgoing(bytes, payload)) {
        sentHash.update(chunk);
        sent += chunk.length;
        yield chunk;
      }
    })(),
  );
  socket.once('connect', () => {
    source.pipe(socket);
    if (stallMs === 0) return;
    // Read nothing for a while: whatever the sender still gets out is held by the buffers on the way.
    socket.pause();
    setTimeout(() => {
      sentDuringStall = sent;
      socket.resume();
    }, stallMs);
  });
  socket.once('finish', () => {
    receivedAtFin = received;
  });
  socket.on('data', (chunk: Buffer) => {
    receivedHash.update(chunk);
    received += chunk.length;
    if (readDelayMs > 0) {
      socket.pause();
      setTimeout(() => socket.resume(), readDelayMs);
    }
  });
  socket.once('end', () => {
    peerFin = true;
  });
  socket.once('error', (err) => {
    error = err;
  });
  return new Promise((resolve) => {
    socket.once('close', () => {
      source.destroy();
      resolve({
        id,
        sent,
        received,
        sentSha256: sentHash.digest('hex'),
        receivedSha256: receivedHash.digest('hex'),
        receivedAtFin,
        sentDuringStall,
        peerFin,
        error: codeOf(error),
        ms: Date.now() - started,
      });
    });
  });
}

/** Pings in lockstep: the next ping goes out `pingMs` after the previous one came back whole. */
function hold(id: number, settled: () => void): Promise<void> {
  const socket = open();
  let n = 0;
  let expected = Buffer.alloc(0);
  let pending = Buffer.alloc(0);
  let error: Error | undefined;
  let peerFin = false;
  let timer: NodeJS.Timeout | undefined;
  const ping = (): void => {
    n += 1;
    expected = Buffer.from(`ping ${id} ${n}\n`);
    pending = Buffer.alloc(0);
    socket.write(expected);
  };
  socket.once('connect', () => {
    printLine({ event: 'connected', id });
    settled();
    ping();
  });
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    if (pending.length < expected.length) return;
    printLine({ event: 'echo', id, n, ok: pending.equals(expected) });
    timer = setTimeout(ping, pingMs);
  });
  socket.once('end', () => {
    peerFin = true;
    socket.end();
  });
  socket.once('error', (err) => {
    error = err;
  });
  return new Promise((resolve) => {
    socket.once('close', () => {
      clearTimeout(timer);
      printLine({ event: 'closed', id, pings: n, peerFin, error: codeOf(error) });
      settled();
      resolve();
    });
  });
}

const ids = Array.from({ length: Number(values.connections) }, (_, i) => i + 1);
process.on('SIGTERM', () => process.exit(0));

if (values.hold) {
  // Ready once every connection is up or has failed.
  const pending = new Set(ids);
  const settle = (id: number) => () => {
    if (pending.delete(id) && pending.size === 0) printLine({ ready: true });
  };
  void Promise.all(ids.map((id) => hold(id, settle(id)))).then(() => printLine({ done: true }));
} else {
  // A connection still open at the deadline is destroyed and reported with the error 'timeout'.
  const deadline = setTimeout(() => {
    for (const socket of sockets) socket.destroy(new Error('timeout'));
  }, Number(values['timeout-ms']));
  void Promise.all(ids.map((id) => transfer(id, Number(values.bytes), values.payload ?? ''))).then(
    (connections) => {
      clearTimeout(deadline);
      printLine({ ok: true, connections });
    },
  );
}
