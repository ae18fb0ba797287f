import { type DeviceChange, type MessageFields, readNdProxyMessage } from '@patchpanel/ipc';
import type { Logger } from 'pino';
import { checkReport } from './report-check';
import { SharedLinkSetting } from './shared-link-settings';
import type { GuestIpv6Kernel } from './system-kernel';
import { chooseUpstream, type UpstreamPolicy, type UpstreamView } from './upstream-choice';

/** A guest-facing interface that wants IPv6 from the physical network. */
export interface Ipv6Guest {
  readonly ifname: string;
  readonly upstream: UpstreamPolicy;
}

export interface GuestIpv6ServiceOptions {
  readonly kernel: GuestIpv6Kernel;
  /** The physical devices and the default network right now. */
  readonly view: () => UpstreamView;
  /** Sends a DeviceMessage to the ND proxy helper (recorded for its replay by the supervisor). */
  readonly sendToProxy: (change: DeviceChange) => void;
  readonly log: Logger;
}

/** What one guest has: its current upstream and what the proxy's reports made the kernel do for it. */
interface GuestState {
  readonly guest: Ipv6Guest;
  upstream: string | undefined;
  readonly routes: Set<string>;
  address: string | undefined;
}

/**
 * IPv6 for guests through the ND proxy: pairs each guest-facing interface with its upstream (following the
 * default network when it is not pinned), with ALLMULTI on both ends and accept_ra=2 on the upstream, and turns
 * the proxy's reports into /128 routes and addresses that go away with the pair.
 */
export class GuestIpv6Service {
  private readonly guests = new Map<string, GuestState>();
  private readonly allMulticast: SharedLinkSetting;
  private readonly acceptRa: SharedLinkSetting;
  private readonly log: Logger;

  constructor(private readonly options: GuestIpv6ServiceOptions) {
    this.allMulticast = new SharedLinkSetting(options.kernel.allMulticast);
    this.acceptRa = new SharedLinkSetting(options.kernel.acceptRaWhileForwarding);
    this.log = options.log.child({ component: 'guest-ipv6' });
  }

  add(guest: Ipv6Guest): void {
    if (this.guests.has(guest.ifname)) return;
    const state: GuestState = { guest, upstream: undefined, routes: new Set(), address: undefined };
    this.guests.set(guest.ifname, state);
    this.follow(state, chooseUpstream(guest.upstream, this.options.view()));
  }

  /** Stops the pair and removes what it added; nothing happens for an interface never added. */
  remove(ifname: string): void {
    const state = this.guests.get(ifname);
    if (state === undefined) return;
    this.guests.delete(ifname);
    this.follow(state, undefined);
  }

  /** The devices or the default network changed: move every guest whose upstream is now another. */
  reconcile(): void {
    const view = this.options.view();
    for (const state of this.guests.values()) this.follow(state, chooseUpstream(state.guest.upstream, view));
  }

  /** An NDProxyMessage from the helper. A bad one is logged and changes nothing. */
  onReport(message: MessageFields['ndproxyMessage']): void {
    try {
      const report = readNdProxyMessage(message);
      const state = this.guests.get(report.ifname);
      if (state?.upstream === undefined) {
        this.log.warn({ report }, 'report for an interface that is not proxied ignored');
        return;
      }
      const checked = checkReport(report, this.options.kernel.linkMac(report.ifname));
      if (checked.type === 'route') this.route(state, checked.address);
      else if (checked.type === 'add-address') this.addAddress(state, checked.address);
      else if (state.address === checked.address) this.deleteAddress(state);
    } catch (err) {
      this.log.warn({ err, ifname: message.ifname, ip6addr: message.ip6addr }, 'ND proxy report refused');
    }
  }

  stop(): void {
    for (const ifname of [...this.guests.keys()]) this.remove(ifname);
  }

  private follow(state: GuestState, upstream: string | undefined): void {
    if (state.upstream === upstream) return;
    if (state.upstream !== undefined) this.stopPair(state, state.upstream);
    if (upstream !== undefined) this.startPair(state, upstream);
  }

  private startPair(state: GuestState, upstream: string): void {
    const guest = state.guest.ifname;
    try {
      this.allMulticast.acquire(upstream);
      this.allMulticast.acquire(guest);
      this.acceptRa.acquire(upstream);
    } catch (err) {
      this.log.error({ err, upstream, guest }, 'cannot prepare the pair; the guest has no IPv6');
      this.releaseLinks(upstream, guest);
      return;
    }
    state.upstream = upstream;
    this.options.sendToProxy({ action: 'start', upstream, guest });
    this.log.info({ upstream, guest }, 'IPv6 proxied');
  }

  private stopPair(state: GuestState, upstream: string): void {
    const guest = state.guest.ifname;
    state.upstream = undefined;
    this.options.sendToProxy({ action: 'stop', upstream, guest });
    this.attempt('route removal', () => {
      for (const address of state.routes) this.options.kernel.deleteHostRoute(address, guest);
    });
    state.routes.clear();
    if (state.address !== undefined) this.deleteAddress(state);
    this.releaseLinks(upstream, guest);
    this.log.info({ upstream, guest }, 'IPv6 proxy stopped');
  }

  private releaseLinks(upstream: string, guest: string): void {
    this.attempt('link settings', () => this.acceptRa.release(upstream));
    this.attempt('link settings', () => this.allMulticast.release(guest));
    this.attempt('link settings', () => this.allMulticast.release(upstream));
  }

  private route(state: GuestState, address: string): void {
    this.options.kernel.replaceHostRoute(address, state.guest.ifname);
    state.routes.add(address);
    this.log.info({ address, ifname: state.guest.ifname }, 'guest route added');
  }

  private addAddress(state: GuestState, address: string): void {
    if (state.address === address) return;
    if (state.address !== undefined) this.deleteAddress(state);
    this.options.kernel.addAddress(state.guest.ifname, address);
    state.address = address;
    this.log.info({ address, ifname: state.guest.ifname }, 'guest-facing address added');
  }

  private deleteAddress(state: GuestState): void {
    const address = state.address;
    if (address === undefined) return;
    state.address = undefined;
    this.attempt('address removal', () => this.options.kernel.deleteAddress(state.guest.ifname, address));
    this.log.info({ address, ifname: state.guest.ifname }, 'guest-facing address removed');
  }

  private attempt(what: string, run: () => void): void {
    try {
      run();
    } catch (err) {
      this.log.error({ err }, `${what} failed`);
    }
  }
}
