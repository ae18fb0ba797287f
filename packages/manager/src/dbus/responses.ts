import type { ConnectedNamespace, NetworkDeviceInfo } from '../api/patchpanel-api';
import { ipv4ToSaddr } from './ipv4-wire';
import { networkDeviceToWire, subnetToWire } from './network-device';
import { patchpanel, toAy } from './proto-codec';

/**
 * The reply to every failed call: a proto3 message with default fields encodes to zero bytes, which the
 * clients read as the empty ConnectNamespaceResponse / GetDevicesResponse or as ModifyPortRule success=false.
 */
export const FAILURE_RESPONSE: Buffer = Buffer.alloc(0);

export type DeviceChange = 'added' | 'removed';

/** The wire form omits netnsName: the snapshot's response has no such field. */
export function encodeConnectNamespaceResponse(connected: ConnectedNamespace): Buffer {
  const message = {
    ipv4Subnet: subnetToWire(connected.subnet),
    peerIfname: connected.peerIfname,
    peerIpv4Address: ipv4ToSaddr(connected.peerIpv4),
    hostIfname: connected.hostIfname,
    hostIpv4Address: ipv4ToSaddr(connected.hostIpv4),
  };
  return toAy(patchpanel.ConnectNamespaceResponse.encode(message).finish());
}

export function encodeModifyPortRuleResponse(success: boolean): Buffer {
  return toAy(patchpanel.ModifyPortRuleResponse.encode({ success }).finish());
}

export function encodeGetDevicesResponse(devices: readonly NetworkDeviceInfo[]): Buffer {
  const message = { devices: devices.map(networkDeviceToWire) };
  return toAy(patchpanel.GetDevicesResponse.encode(message).finish());
}

export function encodeNetworkDeviceChanged(device: NetworkDeviceInfo, change: DeviceChange): Buffer {
  const { Event } = patchpanel.NetworkDeviceChangedSignal;
  const message = {
    device: networkDeviceToWire(device),
    event: change === 'added' ? Event.DEVICE_ADDED : Event.DEVICE_REMOVED,
  };
  return toAy(patchpanel.NetworkDeviceChangedSignal.encode(message).finish());
}
