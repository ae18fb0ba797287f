import { binding, type NativeTapDevice } from './binding';
import { callNative, type NetioError } from './errors';
import { type NetnsTarget, optionalNetnsPath } from './netns';
import { PortEmitter } from './port';
import { assertBytes, assertInteger, assertInterfaceName } from './validate';

export interface TapCreateOptions {
  /** An exact name ('vmtap0') or a template ('vmtap%d'); the kernel's choice is returned. */
  name: string;
  /** uid allowed to open the device without CAP_NET_ADMIN (TUNSETOWNER). */
  owner?: number;
  /** gid allowed to open the device (TUNSETGROUP). */
  group?: number;
  /** Frames carry a virtio-net header (IFF_VNET_HDR), as a VMM expects. */
  vnetHdr?: boolean;
  netns?: NetnsTarget;
}

export interface TapOpenOptions {
  /** Strip / prepend the virtio-net header: TapDevice frames are always plain Ethernet. */
  vnetHdr?: boolean;
  /** Create the device if missing; it is then removed when this TapDevice closes. Default: must exist. */
  create?: boolean;
  netns?: NetnsTarget;
}

export interface TapDeviceEvents {
  frame: [Buffer];
  error: [NetioError];
  close: [];
}

/** sizeof(struct virtio_net_hdr), the kernel's default TUNSETVNETHDRSZ. */
export const VNET_HEADER_LENGTH = 10;
const ETHERNET_HEADER = 14;
const MAX_FRAME = 65535 + ETHERNET_HEADER;
const NO_ID = -1;

/** Creates a persistent TAP device (IFF_TAP | IFF_NO_PI, TUNSETPERSIST); fails if the name is taken. */
export function createTap(options: TapCreateOptions): string {
  assertInterfaceName('TAP name', options.name, true);
  if (options.owner !== undefined) assertInteger('owner', options.owner, 0, 0xfffffffe);
  if (options.group !== undefined) assertInteger('group', options.group, 0, 0xfffffffe);
  const netns = optionalNetnsPath(options.netns);
  const { owner = NO_ID, group = NO_ID, vnetHdr = false } = options;
  return callNative(`create TAP ${options.name}`, () =>
    binding().tapCreate(options.name, vnetHdr, owner, group, netns),
  );
}

/** Deletes a persistent TAP device; ENODEV when absent, EINVAL when not a TAP, EBUSY while open. */
export function deleteTap(name: string, options: { netns?: NetnsTarget } = {}): void {
  assertInterfaceName('TAP name', name);
  const netns = optionalNetnsPath(options.netns);
  callNative(`delete TAP ${name}`, () => binding().tapDelete(name, netns));
}

/** A TAP device opened as a guest would: 'frame' for each frame the host sends, write() to send one. */
export class TapDevice extends PortEmitter<TapDeviceEvents> {
  readonly name: string;

  /** @internal use openTap */
  constructor(
    private readonly handle: NativeTapDevice,
    readonly vnetHdr: boolean,
  ) {
    super(`TAP ${handle.name}`, handle);
    this.name = handle.name;
    handle.onframe = (data) => {
      this.emit('frame', vnetHdr ? data.subarray(VNET_HEADER_LENGTH) : data);
    };
  }

  /** Writes one Ethernet frame; returns its length. */
  write(frame: Uint8Array): number {
    this.port.check();
    assertBytes('frame', frame, ETHERNET_HEADER, MAX_FRAME);
    if (!this.vnetHdr) return callNative(`write to TAP ${this.name}`, () => this.handle.write(frame));
    const withHeader = Buffer.concat([Buffer.alloc(VNET_HEADER_LENGTH), frame]);
    return callNative(`write to TAP ${this.name}`, () => this.handle.write(withHeader)) - VNET_HEADER_LENGTH;
  }
}

export function openTap(name: string, options: TapOpenOptions = {}): TapDevice {
  assertInterfaceName('TAP name', name, options.create === true);
  const netns = optionalNetnsPath(options.netns);
  const { vnetHdr = false, create = false } = options;
  const { TapDevice: Native } = binding();
  const handle = callNative(`open TAP ${name}`, () => new Native(name, vnetHdr, create, netns));
  return new TapDevice(handle, vnetHdr);
}
