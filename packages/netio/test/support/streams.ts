/** Connected stream sockets on loopback and Unix paths, and checksummed traffic through them (tests only). */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export type Transport = 'tcp4' | 'tcp6' | 'unix';

export const MiB = 1 << 20;

let unixCount = 0;

function listen(server: net.Server, transport: Transport, dir: string): Promise<void> {
  if (transport === 'unix') {
    unixCount += 1;
    return new Promise((resolve) => server.listen(path.join(dir, `s${unixCount}.sock`), resolve));
  }
  return new Promise((resolve) => server.listen(0, transport === 'tcp4' ? '127.0.0.1' : '::1', resolve));
}

/** One connection: `client` from net.connect, `server` accepted with pauseOnConnect; both allow half-open. */
export async function connectedPair(
  transport: Transport,
  dir: string,
): Promise<{ client: net.Socket; server: net.Socket }> {
  const listener = net.createServer({ pauseOnConnect: true, allowHalfOpen: true });
  await listen(listener, transport, dir);
  const accepted = once(listener, 'connection') as Promise<[net.Socket]>;
  const address = listener.address()!;
  const client =
    typeof address === 'string'
      ? net.connect({ path: address, allowHalfOpen: true })
      : net.connect({ host: address.address, port: address.port, allowHalfOpen: true });
  const [[server]] = await Promise.all([accepted, once(client, 'connect')]);
  listener.close();
  return { client, server };
}

/** Peers A and B, and the sockets to relay: a (accepted from A, never read) and b (connected to B, paused). */
export interface RelayEnds {
  A: net.Socket;
  a: net.Socket;
  b: net.Socket;
  B: net.Socket;
}

export async function relayEnds(
  transportA: Transport,
  transportB: Transport,
  dir: string,
): Promise<RelayEnds> {
  const front = await connectedPair(transportA, dir);
  const back = await connectedPair(transportB, dir);
  back.client.pause();
  return { A: front.client, a: front.server, b: back.client, B: back.server };
}

export const openFds = (): string[] => readdirSync('/proc/self/fd');

/** Writes `total` random bytes honouring backpressure; `flushed` counts what the kernel has taken so far. */
export class Sender {
  flushed = 0;
  readonly digest: Promise<string>;

  constructor(
    private readonly socket: net.Socket,
    total: number,
    chunk = MiB,
  ) {
    this.digest = this.run(total, chunk);
    this.digest.catch(() => {}); // a reset is what some tests want; those that do not await the digest
  }

  private async run(total: number, chunk: number): Promise<string> {
    const hash = createHash('sha256');
    for (let sent = 0; sent < total; sent += chunk) {
      const data = randomBytes(Math.min(chunk, total - sent));
      hash.update(data);
      const more = this.socket.write(data, () => {
        this.flushed += data.length;
      });
      if (!more) await once(this.socket, 'drain');
    }
    return hash.digest('hex');
  }
}

/** Reads a socket (resumed, as pauseOnConnect leaves it paused) to its end; `digest` is the sha256 of it all. */
export class Receiver {
  bytes = 0;
  readonly digest: Promise<string>;

  constructor(socket: net.Socket) {
    const hash = createHash('sha256');
    socket.on('data', (data: Buffer) => {
      this.bytes += data.length;
      hash.update(data);
    });
    socket.resume();
    this.digest = once(socket, 'end').then(() => hash.digest('hex'));
    this.digest.catch(() => {});
  }
}

/**
 * Resolves with the error through which `socket` learns that its connection was reset: a read error, or when
 * libuv reported the RST as an EOF (it does when the RST arrives right behind data), a write's error after it.
 */
export function resetSeen(socket: net.Socket): Promise<Error> {
  return new Promise((resolve) => {
    socket.once('error', resolve);
    socket.once('end', () => socket.write('after the end'));
  });
}

/** Resolves once `socket` is closed; with the error it reported, if any. */
export function closeOf(socket: net.Socket): Promise<Error | undefined> {
  let error: Error | undefined;
  socket.on('error', (e) => {
    error = e;
  });
  return new Promise((resolve) => socket.once('close', () => resolve(error)));
}
