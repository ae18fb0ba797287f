// DeviceMessage meaning, in one place: `teardown` counts by presence only, its value is ignored.
import type { Envelope, MessageFields } from './messages';

type DeviceFields = MessageFields['deviceMessage'];

/** What a DeviceMessage asks of the multicast and ND proxies. */
export type DeviceChange =
  /** Forward between the upstream interface and the guest-facing one. */
  | { readonly action: 'start'; readonly upstream: string; readonly guest: string }
  /** Stop forwarding for that one pair. */
  | { readonly action: 'stop'; readonly upstream: string; readonly guest: string }
  /** The upstream interface is gone: drop every pair using it. */
  | { readonly action: 'remove-upstream'; readonly upstream: string }
  /** Neither a guest nor teardown: nothing to do. */
  | { readonly action: 'none'; readonly upstream: string };

export function readDeviceMessage(message: DeviceFields): DeviceChange {
  const upstream = message.devIfname;
  const guest = message.brIfname;
  const teardown = message.teardown != null;
  if (guest == null) {
    return teardown ? { action: 'remove-upstream', upstream } : { action: 'none', upstream };
  }
  return { action: teardown ? 'stop' : 'start', upstream, guest };
}

/** The envelope asking for `change`; inverse of readDeviceMessage. */
export function deviceEnvelope(change: DeviceChange): Envelope {
  const deviceMessage: DeviceFields = { devIfname: change.upstream };
  if (change.action === 'start' || change.action === 'stop') {
    deviceMessage.brIfname = change.guest;
  }
  if (change.action === 'stop' || change.action === 'remove-upstream') {
    deviceMessage.teardown = true;
  }
  return { deviceMessage };
}
