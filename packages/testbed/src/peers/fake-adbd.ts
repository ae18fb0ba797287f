// Fake adbd: a TCP (and optionally Unix socket) server. A connection that opens with an ADB CNXN gets adbd's
// CNXN answer (authentication off) and its later packets are read and dropped; any other connection is echoed
// byte for byte, with backpressure, and its FIN is passed back once the echo is written (half-close).
// Prints {"ready":true}, then one JSON object per event: accepted, cnxn, fin, closed.
import { createHash, type Hash } from 'node:crypto';
import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { A_CNXN, cnxnReply, dataCheckValid, decodePacket } from '../adb/packet';
import { fail, printLine } from './output';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5555' },
    host: { type: 'string', default: '::' },
    unix: { type: 'string' },
  },
});

const CNXN_BYTES = Buffer.from('CNXN');
let nextId = 1;

/** Reads packets off an ADB connection: answers the first CNXN, reports it, drops the rest. */
function serveAdb(socket: Socket, id: number): void {
  let buffer = Buffer.alloc(0);
  let connected = false;
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const result = decodePacket(buffer);
      if (result.kind === 'incomplete') return;
      if (result.kind === 'invalid') {
        printLine({ event: 'invalid', id, reason: result.reason });
        socket.destroy();
        return;
      }
      buffer = buffer.subarray(result.bytes);
      const { packet } = result;
      if (connected || packet.command !== A_CNXN) continue;
      connected = true;
      const banner = packet.payload.toString('utf8').replace(/\0+$/, '');
      const checksumOk = dataCheckValid(packet);
      printLine({ event: 'cnxn', id, version: packet.arg0, maxPayload: packet.arg1, banner, checksumOk });
      if (checksumOk) socket.write(cnxnReply(packet));
      else socket.destroy();
    }
  });
  socket.on('end', () => socket.end());
}

/** Echoes everything back; the client's FIN comes back once every byte it sent was written. */
function serveEcho(socket: Socket, id: number, hash: Hash): void {
  socket.on('data', (chunk: Buffer) => hash.update(chunk));
  socket.on('end', () => printLine({ event: 'fin', id, bytesIn: socket.bytesRead }));
  socket.pipe(socket);
}

function accept(socket: Socket, via: 'tcp' | 'unix'): void {
  const id = nextId++;
  const hash = createHash('sha256');
  let mode: 'adb' | 'echo' | undefined;
  printLine({ event: 'accepted', id, via });
  socket.on('error', () => {}); // reported with 'close'
  socket.on('close', (hadError) => {
    const sha256In = mode === 'echo' ? hash.digest('hex') : undefined;
    const { bytesRead: bytesIn, bytesWritten: bytesOut } = socket;
    printLine({ event: 'closed', id, via, mode, bytesIn, bytesOut, sha256In, hadError });
  });
  // The first four bytes decide; they are put back before the connection is served.
  let head = Buffer.alloc(0);
  const decide = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    if (head.length < CNXN_BYTES.length) return;
    socket.off('data', decide).off('end', onEarlyEnd);
    socket.pause();
    socket.unshift(head);
    mode = head.subarray(0, CNXN_BYTES.length).equals(CNXN_BYTES) ? 'adb' : 'echo';
    if (mode === 'adb') serveAdb(socket, id);
    else serveEcho(socket, id, hash);
    socket.resume();
  };
  // A client that sends less than four bytes and FINs is echoed too.
  const onEarlyEnd = (): void => {
    socket.off('data', decide);
    mode = 'echo';
    hash.update(head);
    printLine({ event: 'fin', id, bytesIn: socket.bytesRead });
    socket.end(head);
  };
  socket.on('data', decide).once('end', onEarlyEnd);
}

const listen = (server: Server, address: { port: number; host: string } | { path: string }): Promise<void> =>
  new Promise((resolve) => {
    server.on('error', (err) => fail('fake-adbd', err.message));
    server.listen(address, resolve);
  });

const servers: Server[] = [];
const tcp = createServer({ allowHalfOpen: true }, (socket) => accept(socket, 'tcp'));
servers.push(tcp);
const started = [listen(tcp, { port: Number(values.port), host: values.host ?? '::' })];
const unixPath = values.unix;
if (unixPath !== undefined) {
  rmSync(unixPath, { force: true });
  const unix = createServer({ allowHalfOpen: true }, (socket) => accept(socket, 'unix'));
  servers.push(unix);
  // Anyone may connect: the relay runs as an unprivileged user.
  started.push(listen(unix, { path: unixPath }).then(() => chmodSync(unixPath, 0o777)));
}
void Promise.all(started).then(() => printLine({ ready: true }));

process.on('SIGTERM', () => {
  for (const server of servers) server.close();
  process.exit(0);
});
