import { type DeviceChange, type MessageFields, readNdProxyMessage } from '@patchpanel/ipc';
import type { Logger } from 'pino';
import { UplinkPairs } from '../uplink-pairs';
import type { UpstreamView } from '../upstream-choice';
import { checkReport } from './report-check';
import { SharedLinkSetting } from './shared-link-settings';
import type { GuestIpv6Kernel } from './system-kernel';

export interface GuestIpv6ServiceOptions {
  readonly kernel: GuestIpv6Kernel;
  /** The physical devices and the default network right now. */
  readonly view: () => UpstreamView;
  /** Sends a DeviceMessage to the ND proxy helper (recorded for its replay by the supervisor). */
  readonly sendToProxy: (change: DeviceChange) => void;
  readonly log: Logger;
}

/** What the proxy's reports made the kernel do for one guest-facing interface. */
interface Applied {
  readonly routes: Set<string>;
  address: string | undefined;
}

/**
 * IPv6 for guests through the ND proxy: pairs each guest-facing interface with its upstream (following the
 * default network when it is not pinned), with ALLMULTI on both ends and accept_ra=2 on the upstream, and turns
 * the proxy's reports into /128 routes and addresses that go away with the pair.
 */
export class GuestIpv6Service extends UplinkPairs {
  private readonly applied = new Map<string, Applied>();
  private readonly allMulticast: SharedLinkSetting;
  private readonly acceptRa: SharedLinkSetting;
  private readonly log: Logger;

  constructor(private readonly options: GuestIpv6ServiceOptions) {
    super(options.view);
    this.allMulticast = new SharedLinkSetting(options.kernel.allMulticast);
    this.acceptRa = new SharedLinkSetting(options.kernel.acceptRaWhileForwarding);
    this.log = options.log.child({ component: 'guest-ipv6' });
  }

  /** An NDProxyMessage from the helper. A bad one is logged and changes nothing. */
  onReport(message: MessageFields['ndproxyMessage']): void {
    try {
      const report = readNdProxyMessage(message);
      const applied = this.applied.get(report.ifname);
      if (applied === undefined) {
        this.log.warn({ report }, 'report for an interface that is not proxied ignored');
        return;
      }
      const checked = checkReport(report, this.options.kernel.linkMac(report.ifname));
      if (checked.type === 'route') this.route(report.ifname, applied, checked.address);
      else if (checked.type === 'add-address') this.addAddress(report.ifname, applied, checked.address);
      else if (applied.address === checked.address) this.deleteAddress(report.ifname, applied);
    } catch (err) {
      this.log.warn({ err, ifname: message.ifname, ip6addr: message.ip6addr }, 'ND proxy report refused');
    }
  }

  protected startPair(upstream: string, guest: string): boolean {
    try {
      this.allMulticast.acquire(upstream);
      this.allMulticast.acquire(guest);
      this.acceptRa.acquire(upstream);
    } catch (err) {
      this.log.error({ err, upstream, guest }, 'cannot prepare the pair; the guest has no IPv6');
      this.releaseLinks(upstream, guest);
      return false;
    }
    this.applied.set(guest, { routes: new Set(), address: undefined });
    this.options.sendToProxy({ action: 'start', upstream, guest });
    this.log.info({ upstream, guest }, 'IPv6 proxied');
    return true;
  }

  protected stopPair(upstream: string, guest: string): void {
    this.options.sendToProxy({ action: 'stop', upstream, guest });
    const applied = this.applied.get(guest);
    this.applied.delete(guest);
    if (applied !== undefined) {
      this.attempt('route removal', () => {
        for (const address of applied.routes) this.options.kernel.deleteHostRoute(address, guest);
      });
      this.deleteAddress(guest, applied);
    }
    this.releaseLinks(upstream, guest);
    this.log.info({ upstream, guest }, 'IPv6 proxy stopped');
  }

  private releaseLinks(upstream: string, guest: string): void {
    this.attempt('link settings', () => this.acceptRa.release(upstream));
    this.attempt('link settings', () => this.allMulticast.release(guest));
    this.attempt('link settings', () => this.allMulticast.release(upstream));
  }

  private route(ifname: string, applied: Applied, address: string): void {
    this.options.kernel.replaceHostRoute(address, ifname);
    applied.routes.add(address);
    this.log.info({ address, ifname }, 'guest route added');
  }

  private addAddress(ifname: string, applied: Applied, address: string): void {
    if (applied.address === address) return;
    this.deleteAddress(ifname, applied);
    this.options.kernel.addAddress(ifname, address);
    applied.address = address;
    this.log.info({ address, ifname }, 'guest-facing address added');
  }

  private deleteAddress(ifname: string, applied: Applied): void {
    const address = applied.address;
    if (address === undefined) return;
    applied.address = undefined;
    this.attempt('address removal', () => this.options.kernel.deleteAddress(ifname, address));
    this.log.info({ address, ifname }, 'guest-facing address removed');
  }

  private attempt(what: string, run: () => void): void {
    try {
      run();
    } catch (err) {
      this.log.error({ err }, `${what} failed`);
    }
  }
}
