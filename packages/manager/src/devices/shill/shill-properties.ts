import { deviceKindOf } from '../device-classes';
import type { DeviceKind } from '../device-source';

export const SHILL_SERVICE = 'org.chromium.flimflam';
export const SHILL_MANAGER_PATH = '/';
export const SHILL_MANAGER_INTERFACE = 'org.chromium.flimflam.Manager';
export const SHILL_SERVICE_INTERFACE = 'org.chromium.flimflam.Service';
export const SHILL_DEVICE_INTERFACE = 'org.chromium.flimflam.Device';
export const SHILL_PROPERTY_CHANGED = 'PropertyChanged';

/** Manager properties whose change means the default device may have changed (spec §4). */
export const DEFAULT_TRIGGERS: ReadonlySet<string> = new Set(['DefaultService', 'ConnectionState']);

export interface ManagerProperties {
  /** Object paths of the devices shill manages. */
  readonly devices: readonly string[];
  /** Object path of the default service; undefined when there is none (`/`) or it is malformed. */
  readonly defaultService: string | undefined;
}

export interface ServiceProperties {
  readonly isConnected: boolean;
  /** `ethernet`, `wifi`, `cellular`, `vpn`, … */
  readonly type: string | undefined;
  readonly device: string | undefined;
}

export interface DeviceProperties {
  /** The interface name; undefined when shill gave none. */
  readonly interface: string | undefined;
  readonly type: string | undefined;
}

/** D-Bus property dictionaries arrive as Variants ({signature, value}) from dbus-next; this unwraps one. */
export function unwrapVariant(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && 'signature' in value && 'value' in value) {
    return (value as { value: unknown }).value;
  }
  return value;
}

const OBJECT_PATH = /^\/([A-Za-z0-9_]+(\/[A-Za-z0-9_]+)*)?$/;

/** A D-Bus object path naming an object: valid syntax and not the root `/` shill uses for "none". */
export function usableObjectPath(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '/' && OBJECT_PATH.test(value) ? value : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function parseManagerProperties(properties: Record<string, unknown>): ManagerProperties {
  const devices = unwrapVariant(properties.Devices);
  return {
    devices: Array.isArray(devices)
      ? devices.filter((p): p is string => usableObjectPath(p) !== undefined)
      : [],
    defaultService: usableObjectPath(unwrapVariant(properties.DefaultService)),
  };
}

export function parseServiceProperties(properties: Record<string, unknown>): ServiceProperties {
  return {
    isConnected: unwrapVariant(properties.IsConnected) === true,
    type: stringOf(unwrapVariant(properties.Type)),
    device: usableObjectPath(unwrapVariant(properties.Device)),
  };
}

export function parseDeviceProperties(properties: Record<string, unknown>): DeviceProperties {
  return {
    interface: stringOf(unwrapVariant(properties.Interface)),
    type: stringOf(unwrapVariant(properties.Type)),
  };
}

/** shill's device paths are `/device/<ifname>`; the last component names the device when Interface is missing. */
export function ifnameOfDevicePath(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

const SHILL_TYPE_KINDS: Readonly<Record<string, DeviceKind>> = {
  ethernet: 'ethernet',
  etherneteap: 'ethernet',
  wifi: 'wifi',
  cellular: 'cellular',
};

/** The class from shill's device or service type, else from the interface name (spec §3.1). */
export function deviceKindOfShill(type: string | undefined, ifname: string): DeviceKind {
  return (type === undefined ? undefined : SHILL_TYPE_KINDS[type]) ?? deviceKindOf(ifname);
}
