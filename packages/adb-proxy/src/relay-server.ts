import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { connectFirst } from './connect-target';
import { messageOf } from './errors';
import type { Relay, RelayFactory } from './relay';
import { resetSocket } from './relay/reset-socket';
import { type AdbTarget, describeTarget } from './targets';

/** Where ADB clients connect: dual-stack on every address, the port a host adb server scans (emulator-5554). */
export const ADB_LISTEN = { host: '::', port: 5555 } as const;
/**
 * Not the original's 16: a burst of 100 connects overflowed it, the kernel answered with SYN cookies and then
 * reset the connections whose data arrived first (bench/adb-relay.js). The kernel caps it at somaxconn.
 */
const BACKLOG = 511;

export interface RelayServerOptions {
  readonly listen: { readonly host: string; readonly port: number };
  /** The targets for a new connection, in the order to try them; read at each accept. */
  readonly targets: () => readonly AdbTarget[];
  readonly connectTimeoutMs: number;
  readonly relay: RelayFactory;
  readonly maxConnections: number | undefined;
  readonly log: Logger;
}

/**
 * The listening socket and every connection accepted on it: each is relayed to the first adbd target that
 * accepts, or closed when none does. `close()` ends all of it.
 */
export class RelayServer {
  private readonly server: Server;
  /** Accepted clients whose target is still being connected. */
  private readonly connecting = new Map<Socket, AbortController>();
  private readonly relays = new Set<Relay>();
  private closed = false;
  private nextId = 1;

  private constructor(private readonly options: RelayServerOptions) {
    // Paused: no byte is read into JS before a relay owns the socket. Half-open: a FIN is passed on, not obeyed.
    this.server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) =>
      this.accept(client),
    );
  }

  /** Resolves once the socket is bound and listening, so whoever learns of it next can connect at once. */
  static listen(options: RelayServerOptions): Promise<RelayServer> {
    const relayServer = new RelayServer(options);
    const { host, port } = options.listen;
    return new Promise((resolve, reject) => {
      relayServer.server.once('error', reject);
      // ipv6Only false: the [::] socket takes IPv4 clients too, whatever net.ipv6.bindv6only says.
      relayServer.server.listen({ host, port, backlog: BACKLOG, ipv6Only: false }, () => {
        relayServer.server.off('error', reject);
        relayServer.server.on('error', (error) => options.log.error({ err: error }, 'adb listener failed'));
        resolve(relayServer);
      });
    });
  }

  get connections(): number {
    return this.connecting.size + this.relays.size;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.close();
    for (const [client, abort] of this.connecting) {
      abort.abort();
      client.destroy();
    }
    for (const relay of this.relays) relay.close();
  }

  private accept(client: Socket): void {
    const { log, maxConnections } = this.options;
    const peer = { id: this.nextId++, client: `${client.remoteAddress}:${client.remotePort}` };
    if (maxConnections !== undefined && this.connections >= maxConnections) {
      log.warn({ ...peer, maxConnections }, 'adb connection refused: the connection cap is reached');
      client.destroy();
      return;
    }
    const abort = new AbortController();
    const gone = () => abort.abort();
    client.once('close', gone).once('error', gone);
    this.connecting.set(client, abort);
    connectFirst(this.options.targets(), this.options.connectTimeoutMs, abort.signal).then(
      ({ socket, target }) => {
        this.connecting.delete(client);
        client.off('close', gone).off('error', gone);
        if (this.closed || client.destroyed) {
          socket.destroy();
          client.destroy();
          return;
        }
        this.startRelay(client, socket, { ...peer, target: describeTarget(target) });
      },
      (error: unknown) => {
        this.connecting.delete(client);
        log.warn({ ...peer, reason: messageOf(error) }, 'adb connection closed: no target');
        client.destroy();
      },
    );
  }

  private startRelay(client: Socket, guest: Socket, context: Record<string, unknown>): void {
    const { log } = this.options;
    let relay: Relay;
    try {
      relay = this.options.relay(client, guest, ({ clientToGuest, guestToClient, error }) => {
        this.relays.delete(relay);
        log.info(
          { ...context, clientToGuest, guestToClient, ...(error && { reason: error.message }) },
          'adb connection ended',
        );
      });
    } catch (error) {
      log.error({ ...context, err: error }, 'adb connection closed: the relay did not start');
      for (const socket of [client, guest]) resetSocket(socket);
      return;
    }
    this.relays.add(relay);
    log.debug(context, 'adb connection relayed');
  }
}
