import type { Logger } from 'pino';
import { NetlinkError, RoutingError } from '../errors';
import type { DesiredRouting } from './desired-routing';
import { diffRouting, isEmptyChange, type RoutingChanges, routeKey, ruleKey } from './routing-diff';
import type { RoutingKernel } from './routing-kernel';

/** Answers that mean the kernel is already where the step wanted it. */
const ALREADY_GONE = new Set(['ENOENT', 'ESRCH', 'ENODEV']);
const ALREADY_THERE = new Set(['EEXIST']);

type Step = {
  readonly what: string;
  readonly run: () => Promise<void>;
  readonly harmless: ReadonlySet<string>;
};

function steps(kernel: RoutingKernel, changes: RoutingChanges): Step[] {
  return [
    ...changes.deleteRules.map((rule) => ({
      what: `delete rule ${ruleKey(rule)}`,
      run: () => kernel.deleteRule(rule),
      harmless: ALREADY_GONE,
    })),
    ...changes.deleteRoutes.map((route) => ({
      what: `delete route ${routeKey(route)}`,
      run: () => kernel.deleteRoute(route),
      harmless: ALREADY_GONE,
    })),
    ...changes.addRoutes.map((route) => ({
      what: `add route ${routeKey(route)}`,
      run: () => kernel.addRoute(route, 'create'),
      harmless: ALREADY_THERE,
    })),
    ...changes.replaceRoutes.map((route) => ({
      what: `replace route ${routeKey(route)}`,
      run: () => kernel.addRoute(route, 'replace'),
      harmless: new Set<string>(),
    })),
    ...changes.addRules.map((rule) => ({
      what: `add rule ${ruleKey(rule)}`,
      run: () => kernel.addRule(rule),
      harmless: ALREADY_THERE,
    })),
  ];
}

/**
 * Reads the kernel's rules and routes, and makes the daemon's own ones equal to `desired`: stale ones
 * removed first, then routes added before the rules that lead to them. Every step is attempted; the ones
 * that fail are collected into one RoutingError.
 */
export async function reconcileRouting(
  kernel: RoutingKernel,
  desired: DesiredRouting,
  logger: Logger,
): Promise<RoutingChanges> {
  const [rules, routes] = await Promise.all([kernel.rules(), kernel.routes()]);
  const changes = diffRouting(desired, rules, routes);
  if (isEmptyChange(changes)) return changes;
  const failures: Error[] = [];
  for (const step of steps(kernel, changes)) {
    try {
      await step.run();
      logger.debug({ step: step.what }, 'routing changed');
    } catch (err) {
      if (err instanceof NetlinkError && err.errno !== undefined && step.harmless.has(err.errno)) continue;
      logger.warn({ err, step: step.what }, 'routing change failed');
      failures.push(err instanceof Error ? err : new Error(String(err)));
    }
  }
  if (failures.length > 0) {
    throw new RoutingError(`${failures.length} routing change(s) failed`, failures);
  }
  return changes;
}
