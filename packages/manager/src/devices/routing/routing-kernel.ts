import type { KernelRoute, KernelRule } from '../netlink/kernel-objects';

/** The rtnetlink operations the routing needs; RtnlClient is the real one, tests use an in-memory fake. */
export interface RoutingKernel {
  rules(): Promise<KernelRule[]>;
  routes(): Promise<KernelRoute[]>;
  addRoute(route: KernelRoute, mode: 'create' | 'replace'): Promise<void>;
  deleteRoute(route: KernelRoute): Promise<void>;
  addRule(rule: KernelRule): Promise<void>;
  deleteRule(rule: KernelRule): Promise<void>;
  close(): Promise<void>;
}
