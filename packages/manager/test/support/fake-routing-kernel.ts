import { NetlinkError } from '../../src/devices/errors';
import type { KernelRoute, KernelRule } from '../../src/devices/netlink/kernel-objects';
import { routeKey, ruleKey } from '../../src/devices/routing/routing-diff';
import type { RoutingKernel } from '../../src/devices/routing/routing-kernel';

function refused(what: string, errno: string): NetlinkError {
  return new NetlinkError(`fake kernel: ${what} (${errno})`, errno);
}

/**
 * An in-memory routing table and rule list with the kernel's answers (EEXIST, ENOENT/ESRCH), for testing
 * reconciliation by the resulting state. `failWhen` makes chosen operations fail with an errno.
 */
export class FakeRoutingKernel implements RoutingKernel {
  ruleList: KernelRule[] = [];
  routeList: KernelRoute[] = [];
  readonly operations: string[] = [];
  failWhen: (operation: string, item: KernelRule | KernelRoute) => string | undefined = () => undefined;
  closed = false;

  constructor(initial: { rules?: KernelRule[]; routes?: KernelRoute[] } = {}) {
    this.ruleList = [...(initial.rules ?? [])];
    this.routeList = [...(initial.routes ?? [])];
  }

  async rules(): Promise<KernelRule[]> {
    return [...this.ruleList];
  }

  async routes(): Promise<KernelRoute[]> {
    return [...this.routeList];
  }

  async addRoute(route: KernelRoute, mode: 'create' | 'replace'): Promise<void> {
    this.check(`${mode} route`, route);
    const index = this.routeList.findIndex((r) => routeKey(r) === routeKey(route));
    if (index >= 0 && mode === 'create') throw refused('route exists', 'EEXIST');
    if (index >= 0) this.routeList[index] = route;
    else this.routeList.push(route);
  }

  async deleteRoute(route: KernelRoute): Promise<void> {
    this.check('delete route', route);
    const index = this.routeList.findIndex((r) => routeKey(r) === routeKey(route));
    if (index < 0) throw refused('no such route', 'ESRCH');
    this.routeList.splice(index, 1);
  }

  async addRule(rule: KernelRule): Promise<void> {
    this.check('add rule', rule);
    if (this.ruleList.some((r) => ruleKey(r) === ruleKey(rule) && r.protocol === rule.protocol)) {
      throw refused('rule exists', 'EEXIST');
    }
    this.ruleList.push(rule);
  }

  async deleteRule(rule: KernelRule): Promise<void> {
    this.check('delete rule', rule);
    const index = this.ruleList.findIndex(
      (r) => ruleKey(r) === ruleKey(rule) && r.protocol === rule.protocol,
    );
    if (index < 0) throw refused('no such rule', 'ENOENT');
    this.ruleList.splice(index, 1);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** The state as sorted text lines, for comparing before and after. */
  dump(): string[] {
    return [
      ...this.ruleList.map((r) => `rule ${ruleKey(r)} proto ${r.protocol}`),
      ...this.routeList.map(
        (r) =>
          `route ${routeKey(r)} dev ${r.oif} via ${r.gateway ?? '-'} src ${r.prefsrc ?? '-'} proto ${r.protocol}`,
      ),
    ].sort();
  }

  private check(operation: string, item: KernelRule | KernelRoute): void {
    this.operations.push(operation);
    const errno = this.failWhen(operation, item);
    if (errno !== undefined) throw refused(operation, errno);
  }
}
