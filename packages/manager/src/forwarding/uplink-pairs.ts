import type { UpstreamPolicy, UpstreamView } from './upstream-choice';

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

export interface UplinkPairHooks {
  /** Starts forwarding between the two; false when it cannot (the pair is tried again on the next reconcile). */
  start(upstream: string, guest: string): boolean;
  stop(upstream: string, guest: string): void;
}

export interface UplinkPairsOptions {
  /** The upstream a guest should use in `view` now, undefined for none. */
  readonly choose: (policy: UpstreamPolicy, view: UpstreamView) => string | undefined;
  readonly view: () => UpstreamView;
  readonly hooks: UplinkPairHooks;
}

/**
 * The pairs (upstream, guest-facing interface) of one forwarding service, following the devices: each guest
 * is paired with the upstream its policy chooses, and moved (stop, then start) when that choice changes.
 */
export class UplinkPairs implements GuestForwarding {
  private readonly guests = new Map<string, { guest: ForwardedGuest; upstream: string | undefined }>();

  constructor(private readonly options: UplinkPairsOptions) {}

  add(guest: ForwardedGuest): void {
    if (this.guests.has(guest.ifname)) return;
    const state = { guest, upstream: undefined };
    this.guests.set(guest.ifname, state);
    this.follow(state, this.options.choose(guest.upstream, this.options.view()));
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
    const view = this.options.view();
    for (const state of this.guests.values())
      this.follow(state, this.options.choose(state.guest.upstream, view));
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
      this.options.hooks.stop(previous, state.guest.ifname);
    }
    if (upstream !== undefined && this.options.hooks.start(upstream, state.guest.ifname)) {
      state.upstream = upstream;
    }
  }
}
