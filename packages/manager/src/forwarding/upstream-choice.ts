import type { DefaultDevice, PhysicalDevice } from '../devices';

/** Where a guest's IPv6 comes from: one named physical device, or whichever carries the default network. */
export type UpstreamPolicy = { readonly pinned: string } | 'default';

export interface UpstreamView {
  readonly devices: readonly PhysicalDevice[];
  readonly defaultDevice: DefaultDevice | undefined;
}

/**
 * The upstream to proxy a guest to now, or undefined when there is none: the pinned device while it exists,
 * or the default network's device unless that is a VPN (ND cannot be proxied onto a tunnel).
 */
export function chooseUpstream(policy: UpstreamPolicy, view: UpstreamView): string | undefined {
  if (policy !== 'default') {
    return view.devices.some((device) => device.ifname === policy.pinned) ? policy.pinned : undefined;
  }
  const current = view.defaultDevice;
  return current === undefined || current.vpn ? undefined : current.ifname;
}
