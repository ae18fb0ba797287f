import type { Envelope, MessageHandlers } from '@patchpanel/ipc';
import type { Logger } from 'pino';
import type { HelperIdentity, HelperName, HelperSpec } from './helper-spec';
import type { Jail } from './jail/jail';
import type { RestartBackoffPolicy } from './restart-backoff';
import { type HelperStatus, SupervisedHelper } from './supervised-helper';

export interface HelperSupervisorOptions {
  readonly specs: readonly HelperSpec[];
  readonly jail: Jail;
  readonly identity: HelperIdentity;
  readonly logger: Logger;
  readonly backoff: RestartBackoffPolicy;
  readonly readyTimeoutMs: number;
  readonly helperLogLevel?: string;
  readonly handlers?: Partial<Record<HelperName, MessageHandlers>>;
}

/** Keeps every helper running; the manager's only way to talk to them. */
export class HelperSupervisor {
  private readonly helpers: ReadonlyMap<HelperName, SupervisedHelper>;

  constructor(options: HelperSupervisorOptions) {
    const { specs, handlers, ...shared } = options;
    this.helpers = new Map(
      specs.map((spec) => [
        spec.name,
        new SupervisedHelper({ ...shared, spec, handlers: handlers?.[spec.name] }),
      ]),
    );
  }

  /** Spawns every helper and resolves once each has said it is ready. */
  async start(): Promise<void> {
    const helpers = [...this.helpers.values()];
    await Promise.all(helpers.map((helper) => helper.start()));
    await Promise.all(helpers.map((helper) => helper.whenReady()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.helpers.values()].map((helper) => helper.stop()));
  }

  send(name: HelperName, envelope: Envelope): void {
    this.helpers.get(name)?.send(envelope);
  }

  /** Guest events go to every helper, as in the original; each ignores what it does not handle. */
  broadcast(envelope: Envelope): void {
    for (const helper of this.helpers.values()) helper.send(envelope);
  }

  status(): HelperStatus[] {
    return [...this.helpers.values()].map((helper) => helper.status);
  }
}
