import type { MessageBus } from 'dbus-next';
import type { Logger } from 'pino';
import { nameHasOwner } from '../dbus/name-owner';
import { messageOf } from '../errors';
import { queryAdbSideload, SESSION_MANAGER_SERVICE } from './session-manager';

/** The operator's decision, or 'auto': ask the session manager when it is on the bus, else not allowed. */
export type AdbPolicySetting = boolean | 'auto';

/** The original's patience with a session manager that does not answer yet. */
export const SIDELOAD_QUERY = { tries: 5, intervalMs: 5_000 } as const;

export interface AdbPolicyOptions {
  readonly setting: AdbPolicySetting;
  readonly bus: MessageBus;
  /** Tells the adb-proxy; called once, when the answer is known. */
  readonly send: (allowed: boolean) => void;
  readonly log: Logger;
  readonly query?: (bus: MessageBus) => Promise<boolean>;
  readonly retry?: { readonly tries: number; readonly intervalMs: number };
}

/**
 * Learns whether ADB may be relayed and tells the adb-proxy, without holding up the daemon's start. With 'auto'
 * the session manager is asked up to `tries` times; a session manager that never answers means not allowed.
 */
export class AdbPolicy {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly log: Logger;

  constructor(private readonly options: AdbPolicyOptions) {
    this.log = options.log.child({ component: 'adb-policy' });
  }

  start(): void {
    const { setting } = this.options;
    if (setting !== 'auto') {
      this.decide(setting, 'configuration');
      return;
    }
    nameHasOwner(this.options.bus, SESSION_MANAGER_SERVICE).then(
      (present) => (present ? this.ask(1) : this.decide(false, 'no session manager on the bus')),
      (err: unknown) => this.decide(false, `the bus did not answer: ${messageOf(err)}`),
    );
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private ask(attempt: number): void {
    const { query = queryAdbSideload, retry = SIDELOAD_QUERY } = this.options;
    query(this.options.bus).then(
      (enabled) => this.decide(enabled, 'session manager'),
      (err: unknown) => {
        if (this.stopped) return;
        if (attempt >= retry.tries) {
          this.decide(false, `the session manager did not answer ${retry.tries} times`);
          return;
        }
        this.log.warn(
          { attempt, reason: messageOf(err), retryMs: retry.intervalMs },
          'ADB sideload query failed',
        );
        this.timer = setTimeout(() => this.ask(attempt + 1), retry.intervalMs);
      },
    );
  }

  private decide(allowed: boolean, source: string): void {
    if (this.stopped) return;
    this.log.info({ allowed, source }, 'ADB policy known');
    this.options.send(allowed);
  }
}
