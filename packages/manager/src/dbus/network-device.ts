import type { GuestKind, Ipv4Cidr, NetworkDeviceInfo } from '../api/patchpanel-api';
import { UndecodableResponseError } from './errors';
import { ipv4ToSaddr, saddrToIpv4 } from './ipv4-wire';
import { patchpanel } from './proto-codec';

const GuestType = patchpanel.NetworkDevice.GuestType;

const guestTypes: Readonly<Record<GuestKind, patchpanel.NetworkDevice.GuestType>> = {
  arc: GuestType.ARC,
  arcvm: GuestType.ARCVM,
  termina_vm: GuestType.TERMINA_VM,
  plugin_vm: GuestType.PLUGIN_VM,
};
const guestKinds: ReadonlyMap<number, GuestKind> = new Map(
  Object.entries(guestTypes).map(([kind, type]) => [type, kind as GuestKind]),
);

export function subnetToWire(subnet: Ipv4Cidr): patchpanel.IPv4Subnet.$Properties {
  return { baseAddr: ipv4ToSaddr(subnet.base), prefixLen: subnet.prefixLength };
}

export function subnetFromWire(subnet: patchpanel.IPv4Subnet | null | undefined): Ipv4Cidr {
  if (!subnet) throw new UndecodableResponseError('the subnet is missing');
  return { base: saddrToIpv4(subnet.baseAddr), prefixLength: subnet.prefixLen };
}

export function networkDeviceToWire(device: NetworkDeviceInfo): patchpanel.NetworkDevice.$Properties {
  return {
    ifname: device.ifname,
    ipv4Addr: ipv4ToSaddr(device.ipv4Address),
    ipv4Subnet: subnetToWire(device.subnet),
    guestType: guestTypes[device.guestKind],
  };
}

export function networkDeviceFromWire(device: patchpanel.NetworkDevice): NetworkDeviceInfo {
  const guestKind = guestKinds.get(device.guestType);
  if (guestKind === undefined) {
    throw new UndecodableResponseError(`device ${device.ifname} has guest type ${device.guestType}`);
  }
  return {
    ifname: device.ifname,
    ipv4Address: saddrToIpv4(device.ipv4Addr),
    subnet: subnetFromWire(device.ipv4Subnet),
    guestKind,
  };
}
