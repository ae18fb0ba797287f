import type { ConnectedNamespace, NetworkDeviceInfo } from '../api/patchpanel-api';
import { UndecodableResponseError } from './errors';
import { saddrToIpv4 } from './ipv4-wire';
import { networkDeviceFromWire, subnetFromWire } from './network-device';
import { type Decoder, patchpanel } from './proto-codec';
import type { DeviceChange } from './responses';

/** A connected namespace as a client sees it: the snapshot's response has no netns name. */
export type NamespaceConnection = Omit<ConnectedNamespace, 'netnsName'>;

export interface NetworkDeviceChange {
  readonly device: NetworkDeviceInfo;
  readonly change: DeviceChange;
}

function decodeResponse<T>(type: Decoder<T>, bytes: Uint8Array): T {
  try {
    return type.decode(bytes);
  } catch (cause) {
    throw new UndecodableResponseError(`cannot decode ${type.name}`, { cause });
  }
}

/** undefined for the failure response: like the ChromeOS client, an empty interface name means failure. */
export function decodeConnectNamespaceResponse(bytes: Uint8Array): NamespaceConnection | undefined {
  const message = decodeResponse(patchpanel.ConnectNamespaceResponse, bytes);
  if (message.peerIfname === '' || message.hostIfname === '') return undefined;
  return {
    subnet: subnetFromWire(message.ipv4Subnet),
    hostIfname: message.hostIfname,
    hostIpv4: saddrToIpv4(message.hostIpv4Address),
    peerIfname: message.peerIfname,
    peerIpv4: saddrToIpv4(message.peerIpv4Address),
  };
}

export function decodeModifyPortRuleResponse(bytes: Uint8Array): boolean {
  return decodeResponse(patchpanel.ModifyPortRuleResponse, bytes).success;
}

export function decodeGetDevicesResponse(bytes: Uint8Array): NetworkDeviceInfo[] {
  return decodeResponse(patchpanel.GetDevicesResponse, bytes).devices.map(networkDeviceFromWire);
}

export function decodeNetworkDeviceChanged(bytes: Uint8Array): NetworkDeviceChange {
  const { device, event } = decodeResponse(patchpanel.NetworkDeviceChangedSignal, bytes);
  const { Event } = patchpanel.NetworkDeviceChangedSignal;
  if (!device || (event !== Event.DEVICE_ADDED && event !== Event.DEVICE_REMOVED)) {
    throw new UndecodableResponseError(`NetworkDeviceChanged without a device or with event ${event}`);
  }
  return {
    device: networkDeviceFromWire(device),
    change: event === Event.DEVICE_ADDED ? 'added' : 'removed',
  };
}
