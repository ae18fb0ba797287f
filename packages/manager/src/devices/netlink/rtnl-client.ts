import { createRtNetlink, FlagsNew, type RtNetlinkSocket } from 'netlink';
import type { Logger } from 'pino';
import { NetlinkError } from '../errors';
import { routeRequest, ruleRequest } from './kernel-encode';
import {
  AF_INET,
  AF_INET6,
  type KernelLink,
  type KernelRoute,
  type KernelRule,
  linkFromMessage,
  routeFromMessage,
  ruleFromMessage,
} from './kernel-objects';

const REQUEST_TIMEOUT_MS = 5_000;

/** The kernel's errno name from an error of the netlink package (it only puts it in the message). */
export function errnoOf(err: unknown): string | undefined {
  const match = err instanceof Error ? /Request rejected: (\w+)/.exec(err.message) : null;
  return match?.[1];
}

function defined<T>(values: ReadonlyArray<T | undefined>): T[] {
  return values.filter((value): value is T => value !== undefined);
}

/**
 * Requests over one rtnetlink socket in the caller's network namespace, one at a time: the netlink package
 * reassembles one multipart answer per socket, so two dumps in flight would corrupt each other.
 */
export class RtnlClient {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly socket: RtNetlinkSocket) {}

  static open(logger: Logger): RtnlClient {
    try {
      const socket = createRtNetlink();
      // An 'error' without a listener would throw inside the binding's callback and abort the process.
      socket.socket.on('error', (err) => logger.error({ err }, 'rtnetlink request socket error'));
      return new RtnlClient(socket);
    } catch (err) {
      throw new NetlinkError('cannot open an rtnetlink socket', errnoOf(err), { cause: err });
    }
  }

  async links(): Promise<KernelLink[]> {
    const messages = await this.run('dump links', () =>
      this.socket.getLinks({}, {}, { timeout: REQUEST_TIMEOUT_MS }),
    );
    return defined(messages.map(linkFromMessage));
  }

  /** Every IPv4 and IPv6 route of every table. */
  async routes(): Promise<KernelRoute[]> {
    const routes: KernelRoute[] = [];
    for (const family of [AF_INET, AF_INET6]) {
      const messages = await this.run('dump routes', () =>
        this.socket.getRoutes({ family }, {}, { timeout: REQUEST_TIMEOUT_MS }),
      );
      routes.push(...defined(messages.map(routeFromMessage)));
    }
    return routes;
  }

  async rules(): Promise<KernelRule[]> {
    const rules: KernelRule[] = [];
    for (const family of [AF_INET, AF_INET6]) {
      const messages = await this.run('dump rules', () =>
        this.socket.getRules({ family }, {}, { timeout: REQUEST_TIMEOUT_MS }),
      );
      rules.push(...defined(messages.map(ruleFromMessage)));
    }
    return rules;
  }

  async addRoute(route: KernelRoute, mode: 'create' | 'replace'): Promise<void> {
    const { data, attrs } = routeRequest(route);
    const flags = FlagsNew.CREATE | (mode === 'create' ? FlagsNew.EXCL : FlagsNew.REPLACE);
    await this.run(`${mode} route`, () => this.socket.newRoute(data, attrs, this.options(flags)));
  }

  async deleteRoute(route: KernelRoute): Promise<void> {
    const { data, attrs } = routeRequest(route);
    await this.run('delete route', () => this.socket.delRoute(data, attrs, this.options(0)));
  }

  async addRule(rule: KernelRule): Promise<void> {
    const { data, attrs } = ruleRequest(rule);
    const flags = FlagsNew.CREATE | FlagsNew.EXCL;
    await this.run('add rule', () => this.socket.newRule(data, attrs, this.options(flags)));
  }

  async deleteRule(rule: KernelRule): Promise<void> {
    const { data, attrs } = ruleRequest(rule);
    await this.run('delete rule', () => this.socket.delRule(data, attrs, this.options(0)));
  }

  /** Closes outside any netlink callback: closing inside one aborts the process (toolchain §3). */
  async close(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.socket.socket.close();
  }

  private options(flags: number): { flags: number; timeout: number } {
    return { flags, timeout: REQUEST_TIMEOUT_MS };
  }

  private run<T>(what: string, request: () => Promise<T>): Promise<T> {
    const result = this.queue.then(() => this.attempt(what, request));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async attempt<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (err) {
      const errno = errnoOf(err);
      throw new NetlinkError(`rtnetlink: ${what} failed${errno ? ` (${errno})` : ''}`, errno, { cause: err });
    }
  }
}
