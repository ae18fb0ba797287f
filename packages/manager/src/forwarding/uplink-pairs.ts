import { chooseUpstream, type UpstreamPolicy, type UpstreamView } from './upstream-choice';

/** A guest-facing interface to forward for, and where its upstream comes from. */
export interface ForwardedGuest {
  readonly ifname: string;
  readonly upstream: UpstreamPolicy;
}

/**
 * What a forwarding service does for one guest: ConnectNamespace calls it today; the ARC and VM devices are
 * meant to call the same two methods when they arrive.
 */
export interface GuestForwarding {
  add(guest: ForwardedGuest): void;
  remove(ifname: string): void;
}

/**
 * The pairs (upstream, guest-facing interface) of one forwarding service, following the devices: each guest
 * is paired with the upstream its policy chooses, and moved (stop, then start) when that choice changes. A
 * service says what starting and stopping a pair means.
 */
export abstract class UplinkPairs implements GuestForwarding {
  private readonly guests = new Map<string, { guest: ForwardedGuest; upstream: string | undefined }>();

  /** @param view the physical devices and the default network right now */
  protected constructor(private readonly view: () => UpstreamView) {}

  /** Starts forwarding between the two; false when it cannot (the pair is tried again on the next reconcile). */
  protected abstract startPair(upstream: string, guest: string): boolean;

  protected abstract stopPair(upstream: string, guest: string): void;

  add(guest: ForwardedGuest): void {
    if (this.guests.has(guest.ifname)) return;
    const state = { guest, upstream: undefined };
    this.guests.set(guest.ifname, state);
    this.follow(state, chooseUpstream(guest.upstream, this.view()));
  }

  /** Stops the guest's pair; nothing happens for an interface never added. */
  remove(ifname: string): void {
    const state = this.guests.get(ifname);
    if (state === undefined) return;
    this.guests.delete(ifname);
    this.follow(state, undefined);
  }

  /** The devices or the default network changed: move every guest whose upstream is now another. */
  reconcile(): void {
    const view = this.view();
    for (const state of this.guests.values()) this.follow(state, chooseUpstream(state.guest.upstream, view));
  }

  stop(): void {
    for (const ifname of [...this.guests.keys()]) this.remove(ifname);
  }

  private follow(
    state: { guest: ForwardedGuest; upstream: string | undefined },
    upstream: string | undefined,
  ) {
    if (state.upstream === upstream) return;
    if (state.upstream !== undefined) {
      const previous = state.upstream;
      state.upstream = undefined;
      this.stopPair(previous, state.guest.ifname);
    }
    if (upstream !== undefined && this.startPair(upstream, state.guest.ifname)) {
      state.upstream = upstream;
    }
  }
}
