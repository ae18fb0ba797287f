/** A guest address seen on a guest-facing interface: the host routes `address`/128 to `ifname`. */
export interface RouteEvent {
  readonly type: 'route';
  readonly ifname: string;
  readonly address: string;
}

/** The EUI-64 address of a guest-facing interface on the upstream's prefix appeared or went away. */
export interface AddressEvent {
  readonly type: 'add-address' | 'del-address';
  readonly ifname: string;
  readonly address: string;
}

export type NdProxyEvent = RouteEvent | AddressEvent;
