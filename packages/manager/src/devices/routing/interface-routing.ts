import type { Logger } from 'pino';
import type { DeviceSource } from '../device-source';
import { DeviceConfigError, RoutingError } from '../errors';
import type { MainRouteView } from '../netlink/kernel-view';
import { RtnlClient } from '../netlink/rtnl-client';
import { SerialTask } from '../serial-task';
import { DEFAULT_RULE_PRIORITY, type DesiredRouting, desiredRouting, NO_ROUTING } from './desired-routing';
import { reconcileRouting } from './reconcile-routing';
import type { RoutingChanges } from './routing-diff';
import type { RoutingKernel } from './routing-kernel';

export interface InterfaceRoutingOptions {
  readonly devices: DeviceSource;
  /** The main table the per-interface tables copy from (NetlinkDeviceSource.kernel). */
  readonly routes: MainRouteView;
  readonly logger: Logger;
  /** Priority of the fwmark rules, 1..32765; DEFAULT_RULE_PRIORITY when absent. */
  readonly rulePriority?: number;
  /** Opened at start, closed at stop; an rtnetlink socket in this process's namespace by default. */
  readonly openKernel?: (logger: Logger) => RoutingKernel;
}

function summary(changes: RoutingChanges): Record<string, number> {
  return Object.fromEntries(Object.entries(changes).map(([name, list]) => [name, list.length]));
}

/**
 * The routing the daemon installs when shill does not: for each physical device a table ifindex + 1000
 * holding copies of the device's main-table routes, and fwmark rules (IPv4 and IPv6) that send traffic
 * carrying that routing tag to it. The desired state is recomputed from the devices and the main table on
 * every change and reconciled with the kernel, so leftovers of a killed daemon go at start and everything
 * goes at stop.
 */
export class InterfaceRouting {
  private readonly logger: Logger;
  private readonly rulePriority: number;
  private kernel: RoutingKernel | undefined;
  private task: SerialTask | undefined;
  private unsubscribe: Array<() => void> = [];
  /** JSON of the desired routing last applied in full; undefined after a failure, to try again. */
  private appliedKey: string | undefined;
  private appliedRouting: DesiredRouting = NO_ROUTING;

  constructor(private readonly options: InterfaceRoutingOptions) {
    this.logger = options.logger.child({ component: 'devices/routing' });
    this.rulePriority = options.rulePriority ?? DEFAULT_RULE_PRIORITY;
    if (!Number.isInteger(this.rulePriority) || this.rulePriority < 1 || this.rulePriority > 32765) {
      throw new DeviceConfigError(`rule priority ${this.rulePriority} is not within 1..32765`);
    }
  }

  /** Removes leftovers and installs the routing of the current devices; a partial failure is only logged. */
  async start(): Promise<void> {
    if (this.kernel !== undefined) return;
    const kernel = (this.options.openKernel ?? RtnlClient.open)(this.logger);
    this.kernel = kernel;
    try {
      await this.sync(kernel);
    } catch (err) {
      if (!(err instanceof RoutingError)) {
        await this.release();
        throw err;
      }
      this.logger.error({ err }, 'routing only partly installed');
    }
    const task = new SerialTask(
      () => this.sync(kernel),
      (err) => this.logger.error({ err }, 'routing not in sync'),
    );
    this.task = task;
    this.unsubscribe = [
      this.options.devices.onChange(() => task.trigger()),
      this.options.routes.onChange(() => task.trigger()),
    ];
    task.trigger(); // whatever changed during the first sync; a no-op when nothing did
  }

  /** Removes every rule and route of the daemon's shape; rejects with RoutingError if some could not go. */
  async stop(): Promise<void> {
    const kernel = this.kernel;
    if (kernel === undefined) return;
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    this.unsubscribe = [];
    await this.task?.stop();
    try {
      const changes = await reconcileRouting(kernel, NO_ROUTING, this.logger);
      this.logger.info(summary(changes), 'routing removed');
      this.appliedRouting = NO_ROUTING;
    } finally {
      await this.release();
    }
  }

  /** Resolves once the changes seen so far are applied (or failed). */
  async settled(): Promise<void> {
    await this.task?.idle();
  }

  /** The routing last applied in full. */
  applied(): DesiredRouting {
    return this.appliedRouting;
  }

  private async release(): Promise<void> {
    const kernel = this.kernel;
    this.kernel = undefined;
    this.task = undefined;
    this.appliedKey = undefined;
    await kernel?.close();
  }

  private async sync(kernel: RoutingKernel): Promise<void> {
    const desired = desiredRouting(
      this.options.devices.devices(),
      this.options.routes.mainRoutes(),
      this.rulePriority,
    );
    const key = JSON.stringify(desired);
    if (key === this.appliedKey) return;
    this.appliedKey = undefined;
    const changes = await reconcileRouting(kernel, desired, this.logger);
    this.appliedKey = key;
    this.appliedRouting = desired;
    this.logger.info(
      { ...summary(changes), rules: desired.rules.length, routes: desired.routes.length },
      'routing in sync',
    );
  }
}
