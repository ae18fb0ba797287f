import type { DeviceChange } from '@patchpanel/ipc';
import type { Logger } from 'pino';
import { UplinkPairs } from '../uplink-pairs';
import type { UpstreamView } from '../upstream-choice';

export interface GuestMulticastServiceOptions {
  /** IFF_MULTICAST on the link; false also when it cannot be read. */
  readonly isMulticast: (ifname: string) => boolean;
  readonly view: () => UpstreamView;
  /** Sends a DeviceMessage to the multicast helper (recorded for its replay by the supervisor). */
  readonly sendToForwarder: (change: DeviceChange) => void;
  readonly log: Logger;
}

/**
 * mDNS, SSDP and broadcast forwarding for guests: pairs each guest-facing interface with its upstream, only
 * when that upstream can carry multicast, and moves the pair with the devices.
 */
export class GuestMulticastService extends UplinkPairs {
  private readonly log: Logger;

  constructor(private readonly options: GuestMulticastServiceOptions) {
    super(options.view);
    this.log = options.log.child({ component: 'guest-multicast' });
  }

  protected startPair(upstream: string, guest: string): boolean {
    if (!this.options.isMulticast(upstream)) {
      this.log.info({ upstream, guest }, 'upstream without IFF_MULTICAST: no multicast forwarding');
      return false;
    }
    this.options.sendToForwarder({ action: 'start', upstream, guest });
    this.log.info({ upstream, guest }, 'multicast forwarded');
    return true;
  }

  protected stopPair(upstream: string, guest: string): void {
    this.options.sendToForwarder({ action: 'stop', upstream, guest });
    this.log.info({ upstream, guest }, 'multicast forwarding stopped');
  }
}
