/** The D-Bus names of the service (spec §2.1). Note the capital P of "Panel". */
export const SERVICE_NAME = 'org.chromium.PatchPanel';
export const OBJECT_PATH = '/org/chromium/PatchPanel';
export const INTERFACE_NAME = 'org.chromium.PatchPanel';

/** The methods implemented so far and their D-Bus input signatures; every one returns one `ay`. */
export const METHOD_SIGNATURES = {
  ConnectNamespace: 'ayh',
  ModifyPortRule: 'ay',
  GetDevices: 'ay',
} as const;

export type MethodName = keyof typeof METHOD_SIGNATURES;

export const NETWORK_DEVICE_CHANGED = 'NetworkDeviceChanged';
