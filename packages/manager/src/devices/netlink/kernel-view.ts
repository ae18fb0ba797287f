import type { Logger } from 'pino';
import { SerialTask } from '../serial-task';
import { type KernelLink, type KernelRoute, RT_TABLE_MAIN } from './kernel-objects';
import { RtnlClient } from './rtnl-client';
import { type RtnlEvent, RtnlEventStream } from './rtnl-events';

const RETRY_MS = 1_000;

/** The main-table routes and a change signal: what the per-interface routing copies from. */
export interface MainRouteView {
  mainRoutes(): readonly KernelRoute[];
  onChange(listener: () => void): () => void;
}

export interface KernelViewOptions {
  readonly logger: Logger;
  /** Links whose changes matter (the physical ones); events about other links are ignored. */
  readonly watches: (link: KernelLink) => boolean;
}

function routesKey(routes: readonly KernelRoute[]): string {
  return JSON.stringify(routes);
}

/**
 * The links and main-table routes of this network namespace, kept current from rtnetlink notifications.
 * Links are updated from their notifications (a dump in flight holds them back and replays them after, so
 * the last word on each link wins). Routes are read again after any notification that can matter (a
 * default route, a route or link of a watched device), because IPv4 drops the routes of a link that goes
 * down without notifying. Listeners hear about real changes only, after the notifications of a burst.
 */
export class KernelView implements MainRouteView {
  private readonly linkMap = new Map<number, KernelLink>();
  private routes: KernelRoute[] = [];
  private readonly listeners = new Set<() => void>();
  private dirty = { links: false, routes: false };
  private heldLinkEvents: Array<Extract<RtnlEvent, { kind: 'link' }>> | undefined;
  private reader: SerialTask | undefined;
  private client: RtnlClient | undefined;
  private events: RtnlEventStream | undefined;
  private stopped = false;
  /** A watched link changed since listeners last heard. */
  private linksChanged = false;

  constructor(private readonly options: KernelViewOptions) {}

  /** Subscribes, then reads every link and the main table; rejects (and holds nothing) if it cannot. */
  async start(): Promise<void> {
    if (this.client !== undefined) return;
    this.stopped = false;
    const { logger } = this.options;
    this.client = RtnlClient.open(logger);
    try {
      // Subscribed before the first read: what changes meanwhile marks dirty and is read right after.
      this.events = RtnlEventStream.open((event) => this.onEvent(event), logger);
      this.dirty = { links: true, routes: true };
      await this.refresh();
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.reader = new SerialTask(
      () => this.refresh(),
      (err) => logger.error({ err }, 'cannot read links and routes; retrying'),
      RETRY_MS,
    );
    if (this.dirty.links || this.dirty.routes) this.reader.trigger();
  }

  async stop(): Promise<void> {
    if (this.client === undefined) return;
    this.stopped = true;
    await this.reader?.stop();
    this.reader = undefined;
    await Promise.all([this.events?.close(), this.client.close()]);
    this.client = undefined;
    this.events = undefined;
  }

  links(): readonly KernelLink[] {
    return [...this.linkMap.values()];
  }

  link(ifindex: number): KernelLink | undefined {
    return this.linkMap.get(ifindex);
  }

  mainRoutes(): readonly KernelRoute[] {
    return this.routes;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private isDefaultOif(ifindex: number): boolean {
    return this.routes.some((route) => route.dstLen === 0 && route.oif === ifindex);
  }

  private watched(link: KernelLink): boolean {
    const known = this.linkMap.get(link.ifindex);
    return (
      this.options.watches(link) ||
      (known !== undefined && this.options.watches(known)) ||
      this.isDefaultOif(link.ifindex)
    );
  }

  private onEvent(event: RtnlEvent): void {
    if (this.stopped) return;
    if (event.kind === 'overflow') {
      this.dirty = { links: true, routes: true };
    } else if (event.kind === 'link') {
      // Every link is tracked (a default route may use any of them); only watched ones trigger reads.
      const relevant = this.watched(event.link);
      if (this.heldLinkEvents) this.heldLinkEvents.push(event);
      else this.applyLinkEvent(event, relevant);
      if (!relevant) return;
      this.dirty.routes = true;
    } else {
      const { route } = event;
      if (route.table !== RT_TABLE_MAIN) return;
      const link = route.oif === undefined ? undefined : this.linkMap.get(route.oif);
      if (route.dstLen !== 0 && !(link && this.options.watches(link))) return;
      this.dirty.routes = true;
    }
    this.reader?.trigger();
  }

  private applyLinkEvent(event: Extract<RtnlEvent, { kind: 'link' }>, relevant: boolean): void {
    if (event.removed) this.linkMap.delete(event.link.ifindex);
    else this.linkMap.set(event.link.ifindex, event.link);
    this.linksChanged ||= relevant;
  }

  /** Reads links if dirty, and routes; on failure the flags stay set for the next attempt. */
  private async refresh(): Promise<void> {
    const client = this.client;
    if (client === undefined) return;
    const { links, routes } = this.dirty;
    if (!links && !routes) return;
    this.dirty = { links: false, routes: false };
    try {
      if (links && (await this.reloadLinks(client))) this.linksChanged = true;
      const before = routesKey(this.routes);
      this.routes = (await client.routes()).filter((route) => route.table === RT_TABLE_MAIN);
      if (this.linksChanged || routesKey(this.routes) !== before) {
        this.linksChanged = false;
        this.notify();
      }
    } catch (err) {
      this.dirty.links ||= links;
      this.dirty.routes = true;
      throw err;
    }
  }

  private async reloadLinks(client: RtnlClient): Promise<boolean> {
    const before = JSON.stringify([...this.linkMap.values()]);
    this.heldLinkEvents = [];
    try {
      const links = await client.links();
      this.linkMap.clear();
      for (const link of links) this.linkMap.set(link.ifindex, link);
      for (const event of this.heldLinkEvents) this.applyLinkEvent(event, false);
    } finally {
      this.heldLinkEvents = undefined;
    }
    return JSON.stringify([...this.linkMap.values()]) !== before;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (err) {
        this.options.logger.error({ err }, 'kernel view listener failed');
      }
    }
  }
}
