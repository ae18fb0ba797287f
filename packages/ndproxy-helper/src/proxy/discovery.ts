import { classifyIpv6, eui64Address, type NdFrame, NdType, prefixInformation } from '../nd';
import type { NdProxyEvent } from './events';
import { ipv6Text } from './ipv6-text';

const UNSPECIFIED = '::';

/** Guest and router discovery: which events a frame causes, each reported once until it changes. */
export class Discovery {
  private readonly routes = new Map<string, Set<string>>();
  private readonly addresses = new Map<string, string>();

  /** Guest discovery for a frame received on the guest-facing interface `ifname`. */
  fromGuest(ifname: string, frame: NdFrame): NdProxyEvent[] {
    const address = guestAddress(frame);
    if (address === undefined) return [];
    let known = this.routes.get(ifname);
    if (!known) {
      known = new Set();
      this.routes.set(ifname, known);
    }
    if (known.has(address)) return [];
    known.add(address);
    return [{ type: 'route', ifname, address }];
  }

  /** Router discovery for an RA received on an upstream, for each of its guests (name and MAC). */
  fromRouter(frame: NdFrame, guests: readonly { ifname: string; mac: Uint8Array }[]): NdProxyEvent[] {
    const pio = prefixInformation(frame)[0];
    if (pio === undefined || pio.prefixLength > 64) return [];
    const events: NdProxyEvent[] = [];
    for (const guest of guests) {
      const address = ipv6Text(eui64Address(pio.prefix, guest.mac));
      const previous = this.addresses.get(guest.ifname);
      if (previous === address) continue;
      if (previous !== undefined)
        events.push({ type: 'del-address', ifname: guest.ifname, address: previous });
      this.addresses.set(guest.ifname, address);
      events.push({ type: 'add-address', ifname: guest.ifname, address });
    }
    return events;
  }

  /** Forget a guest-facing interface; the DEL for its recorded address, if any. */
  forgetGuest(ifname: string): NdProxyEvent[] {
    this.routes.delete(ifname);
    const previous = this.addresses.get(ifname);
    if (previous === undefined) return [];
    this.addresses.delete(ifname);
    return [{ type: 'del-address', ifname, address: previous }];
  }
}

/** An NA's target, an NS's global/ULA source, or a DAD NS's target, when global or ULA. */
function guestAddress(frame: NdFrame): string | undefined {
  if (frame.type === NdType.NeighborAdvertisement && frame.target) return routable(frame.target);
  if (frame.type !== NdType.NeighborSolicitation || !frame.target) return undefined;
  if (ipv6Text(frame.source) === UNSPECIFIED) return routable(frame.target);
  return routable(frame.source);
}

function routable(address: Uint8Array): string | undefined {
  const kind = classifyIpv6(address);
  return kind === 'global-unicast' || kind === 'unique-local' ? ipv6Text(address) : undefined;
}
