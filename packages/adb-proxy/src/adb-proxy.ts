import type { GuestMessage } from '@patchpanel/ipc';
import type { Logger } from 'pino';
import type { AdbProxyConfig } from './config';
import { messageOf } from './errors';
import { applyGuestMessage, applyPolicy, type GateState, INITIAL_GATE, isOpen } from './gate';
import { relays } from './relay';
import { ADB_LISTEN, RelayServer } from './relay-server';
import { targetsFor } from './targets';

/** A bind that failed (the port taken) is tried again this often while the gate stays open. */
const LISTEN_RETRY_MS = 1_000;

export interface AdbProxyOptions {
  readonly config: AdbProxyConfig;
  readonly log: Logger;
  /** Default: [::]:5555. */
  readonly listen?: { readonly host: string; readonly port: number };
}

/**
 * The helper's whole behaviour: follows the manager's messages into a gate state, and keeps a relay server
 * exactly while the gate is open. Closing the gate closes the listener and every relayed connection.
 */
export class AdbProxy {
  private state: GateState = INITIAL_GATE;
  private server: RelayServer | undefined;
  /** Counts listens; a gate change while one is in flight bumps it, and the stale server closes at once. */
  private attempt = 0;
  private retry: NodeJS.Timeout | undefined;
  private readonly log: Logger;

  constructor(private readonly options: AdbProxyOptions) {
    this.log = options.log.child({ component: 'adb-proxy' });
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  onGuestMessage(message: GuestMessage): void {
    const { state, ignored } = applyGuestMessage(this.state, message);
    if (ignored)
      this.log.info({ type: message.type, event: message.event }, `guest message ignored: ${ignored}`);
    this.update(state);
  }

  onPolicy(allowed: boolean): void {
    this.update(applyPolicy(this.state, allowed));
  }

  /** Back to the initial state (a state replay begins, or the manager is gone): nothing listens. */
  reset(): void {
    this.update(INITIAL_GATE);
  }

  private update(next: GateState): void {
    const wasOpen = isOpen(this.state);
    this.state = next;
    if (isOpen(next) === wasOpen) return;
    this.log.info(
      { allowed: next.allowed, guest: next.guest?.kind },
      isOpen(next) ? 'adb gate open' : 'adb gate closed',
    );
    if (isOpen(next)) this.open();
    else this.shut();
  }

  private open(): void {
    const attempt = ++this.attempt;
    const { config, log } = this.options;
    RelayServer.listen({
      listen: this.options.listen ?? ADB_LISTEN,
      targets: () => (this.state.guest ? targetsFor(this.state.guest, config) : []),
      connectTimeoutMs: config.connectTimeoutMs,
      relay: relays[config.relay],
      maxConnections: config.maxConnections,
      log,
    }).then(
      (server) => {
        if (attempt !== this.attempt) return server.close();
        this.server = server;
        this.log.info({ ...(this.options.listen ?? ADB_LISTEN), relay: config.relay }, 'adb relay listening');
      },
      (error: unknown) => {
        if (attempt !== this.attempt) return;
        this.log.error({ reason: messageOf(error), retryMs: LISTEN_RETRY_MS }, 'adb relay cannot listen');
        this.retry = setTimeout(() => isOpen(this.state) && this.open(), LISTEN_RETRY_MS);
      },
    );
  }

  private shut(): void {
    this.attempt += 1;
    clearTimeout(this.retry);
    if (this.server) this.log.info({ connections: this.server.connections }, 'adb relay closed');
    this.server?.close();
    this.server = undefined;
  }
}
