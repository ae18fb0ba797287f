import { closeSync, statSync } from 'node:fs';
import type { Logger } from 'pino';
import type { MacAddressGenerator } from '../addressing/mac-address';
import type { Subnet, SubnetPool } from '../addressing/subnet-pool';
import type { ConnectedNamespace, ConnectNamespaceRequest } from '../api/patchpanel-api';
import {
  buildNamespaceRuleSet,
  type Firewall,
  type OutboundDevice,
  type RuleSet,
} from '../datapath/firewall';
import type { LinkDeleter } from '../datapath/links/link-deleter';
import {
  applyNamespaceLink,
  deleteLink,
  linksNamed,
  type NamespaceLinkSpec,
} from '../datapath/links/namespace-link';
import type { Rtnetlink } from '../datapath/links/rtnetlink';
import type { GuestForwarding, UpstreamPolicy } from '../forwarding';
import { GuestRequestError, GuestTeardownError } from './errors';
import type { Lifeline, LifelineWatcher } from './lifeline';
import type { NetnsNames } from './netns-names';

export interface ConnectedNamespacesOptions {
  /** rtnetlink in the daemon's own namespace. */
  readonly host: Rtnetlink;
  /** Deletes the host ends of the veths off the event loop. */
  readonly links: Pick<LinkDeleter, 'delete'>;
  readonly firewall: Firewall;
  readonly pool: SubnetPool;
  readonly macs: MacAddressGenerator;
  readonly netnsNames: NetnsNames;
  readonly lifelines: LifelineWatcher;
  /** The physical device of that name, or undefined when there is none. */
  readonly outboundDevice: (ifname: string) => OutboundDevice | undefined;
  /** The forwarding services every connection gets (IPv6 through the ND proxy, multicast), in order. */
  readonly forwarding: readonly GuestForwarding[];
  readonly log: Logger;
}

function sameNamespace(a: string, b: string): boolean {
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch (cause) {
    throw new GuestRequestError(`cannot read ${a}`, { cause });
  }
}

/** The daemon's end of connection N's veth; the peer end inside the guest is veth<N>. */
const HOST_IFNAME = /^arc_ns\d+$/;

/** Everything one connection declared, so teardown removes exactly that. */
interface Connection {
  readonly n: number;
  readonly link: NamespaceLinkSpec;
  readonly rules: RuleSet;
  readonly subnet: Subnet;
  readonly netnsName: string;
  readonly upstream: UpstreamPolicy;
  lifeline?: Lifeline;
  /** Set when its teardown starts: forwarding not yet started must not start then. */
  closing: boolean;
}

const FORWARDING_START_DELAY_MS = 3;

/**
 * ConnectNamespace: a veth pair into a process's network namespace, addressed from the connected-namespace
 * pool, with SNAT, forwarding and marks from the firewall, kept as long as the client's lifeline is open.
 */
export class ConnectedNamespaces {
  private readonly connections = new Map<number, Connection>();
  private readonly log: Logger;
  /** Never reused within a run: a late teardown of N can never touch a newer connection. */
  private nextN = 0;

  constructor(private readonly options: ConnectedNamespacesOptions) {
    this.log = options.log.child({ component: 'connected-namespaces' });
  }

  get size(): number {
    return this.connections.size;
  }

  /** Owns `request.lifelineFd` from here on: it is watched on success and closed on failure. */
  async connect(request: ConnectNamespaceRequest): Promise<ConnectedNamespace> {
    let connection: Connection;
    try {
      connection = this.plan(request);
    } catch (err) {
      closeSync(request.lifelineFd);
      throw err;
    }
    const started = process.hrtime.bigint();
    try {
      applyNamespaceLink(this.options.host, connection.link);
      this.connections.set(connection.n, connection);
      this.options.netnsNames.attach(connection.netnsName, request.pid);
      await this.options.firewall.apply(connection.rules);
      connection.lifeline = this.options.lifelines.watch(request.lifelineFd, () =>
        this.onHangup(connection.n),
      );
    } catch (err) {
      if (connection.lifeline === undefined) closeSync(request.lifelineFd);
      await this.teardown(connection).catch((cleanup: unknown) =>
        this.log.error({ err: cleanup }, 'rollback failed'),
      );
      throw err;
    }
    const setupMs = Number(process.hrtime.bigint() - started) / 1e6;
    this.log.info(
      { n: connection.n, pid: request.pid, netns: connection.netnsName, setupMs },
      'namespace connected',
    );
    // IPv6 (through the ND proxy) and multicast forwarding start shortly after the reply: neither is ready when
    // the call returns anyway (the guest's IPv6 waits for a router advertisement). Started at once, their
    // netlink requests and the helpers' work took the CPU the bus and the caller needed to pass the reply on
    // (0.75 ms instead of 0.3 from our send to the caller's receipt, on 2 cores).
    setTimeout(() => this.startForwarding(connection), FORWARDING_START_DELAY_MS);
    return {
      subnet: connection.subnet.cidr,
      hostIfname: connection.link.hostIfname,
      hostIpv4: connection.link.hostAddress,
      peerIfname: connection.link.peerIfname,
      peerIpv4: connection.link.peerAddress,
      netnsName: connection.netnsName,
    };
  }

  /** Disconnects everything (daemon shutdown). */
  async stop(): Promise<void> {
    const errors: unknown[] = [];
    for (const connection of [...this.connections.values()]) {
      await this.teardown(connection).catch((err: unknown) => errors.push(err));
    }
    if (errors.length > 0) throw new GuestTeardownError('disconnecting namespaces', errors);
  }

  /** Removes what a killed daemon left: host veths and namespace names of our scheme. The firewall resets itself. */
  async sweep(): Promise<void> {
    for (const ifname of linksNamed(this.options.host, HOST_IFNAME)) {
      deleteLink(this.options.host, ifname);
      this.log.warn({ ifname }, 'removed a leftover veth');
    }
    for (const name of this.options.netnsNames.leftovers()) {
      this.options.netnsNames.remove(name);
      this.log.warn({ netns: name }, 'removed a leftover namespace name');
    }
  }

  private resolveOutbound(ifname: string | undefined): OutboundDevice | undefined {
    if (ifname === undefined) return undefined;
    const device = this.options.outboundDevice(ifname);
    if (device === undefined)
      throw new GuestRequestError(`outbound device ${ifname} is not a known physical device`);
    return device;
  }

  /** Allocates the subnet, names and MACs and builds the rules; nothing touches the kernel yet. */
  private plan(request: ConnectNamespaceRequest): Connection {
    const netnsPath = `/proc/${request.pid}/ns/net`;
    if (sameNamespace(netnsPath, '/proc/self/ns/net')) {
      throw new GuestRequestError(`pid ${request.pid} shares the daemon's own network namespace`);
    }
    const outbound = this.resolveOutbound(request.outboundPhysicalDevice);
    const subnet = this.options.pool.allocate();
    try {
      const n = this.nextN++;
      const hostIfname = `arc_ns${n}`;
      return {
        n,
        subnet,
        closing: false,
        netnsName: this.options.netnsNames.nameFor(n),
        upstream: outbound === undefined ? 'default' : { pinned: outbound.ifname },
        rules: buildNamespaceRuleSet({
          owner: `ns${n}`,
          hostIfname,
          subnet: subnet.cidr,
          trafficSource: request.trafficSource,
          outbound,
          routeOnVpn: request.routeOnVpn,
        }),
        link: {
          netns: { pid: request.pid },
          netnsPath,
          hostIfname,
          hostMac: this.options.macs.next(),
          hostAddress: subnet.addressAt(0),
          peerIfname: `veth${n}`,
          peerMac: this.options.macs.next(),
          peerAddress: subnet.addressAt(1),
          prefixLength: subnet.prefixLength,
        },
      };
    } catch (err) {
      subnet.release();
      throw err;
    }
  }

  private startForwarding(connection: Connection): void {
    if (connection.closing) return;
    const guest = { ifname: connection.link.hostIfname, upstream: connection.upstream };
    for (const service of this.options.forwarding) service.add(guest);
  }

  private onHangup(n: number): void {
    const connection = this.connections.get(n);
    if (connection === undefined) return;
    this.log.info({ n, netns: connection.netnsName }, 'lifeline closed');
    this.teardown(connection).catch((err: unknown) => this.log.error({ err, n }, 'teardown failed'));
  }

  /** Every step runs even when an earlier one failed; "already gone" is success everywhere. */
  private async teardown(connection: Connection): Promise<void> {
    const started = process.hrtime.bigint();
    connection.closing = true;
    const errors: unknown[] = [];
    const step = async (run: () => unknown) => {
      try {
        await run();
      } catch (err) {
        errors.push(err);
      }
    };
    connection.lifeline?.close();
    // The veth's deletion goes first: the kernel takes longest over it (closing the device waits for RCU),
    // on a worker thread, while the rest is undone here. What the forwarding services undo on the veth counts
    // a gone link as undone. The veth counts as gone once it left the link list (its addresses with it), so
    // its subnet goes back then.
    const vethGone = step(() => this.options.links.delete(connection.link.hostIfname).gone);
    for (const service of [...this.options.forwarding].reverse()) {
      await step(() => service.remove(connection.link.hostIfname));
    }
    const firewallRemoved = step(() => this.options.firewall.remove(connection.rules.owner));
    await step(() => this.options.netnsNames.remove(connection.netnsName));
    await vethGone;
    connection.subnet.release();
    await firewallRemoved;
    this.connections.delete(connection.n);
    const teardownMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (errors.length > 0) throw new GuestTeardownError(`disconnecting ${connection.netnsName}`, errors);
    this.log.info({ n: connection.n, netns: connection.netnsName, teardownMs }, 'namespace disconnected');
  }
}
