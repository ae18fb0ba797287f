import path from 'node:path';
import { AddonMissingError } from './errors';

/** Native handle of an AF_PACKET socket; callbacks are looked up on the object at each wake-up. */
export interface NativePacketSocket {
  readonly fd: number;
  readonly ifindex: number;
  onframe?: (data: Buffer, ifindex: number, packetType: number, protocol: number, srcMac: Buffer) => void;
  onerror?: (error: Error) => void;
  send(frame: Uint8Array, ifindex: number, mac: Uint8Array | null, protocol: number): number;
  stats(): { packets: number; drops: number; truncated: number };
  close(): void;
  ref(): void;
  unref(): void;
}

export interface NativeTapDevice {
  readonly fd: number;
  readonly name: string;
  onframe?: (data: Buffer) => void;
  onerror?: (error: Error) => void;
  write(frame: Uint8Array): number;
  close(): void;
  ref(): void;
  unref(): void;
}

export interface NativeHangupWatch {
  onhangup?: () => void;
  close(): void;
}

/** Native half of a splice relay (native/splice_relay.h): owns duplicates of the two fds it was given. */
export interface NativeSpliceRelay {
  onclose?: (aToB: number, bToA: number, error: Error | null) => void;
  close(): void;
  ref(): void;
  unref(): void;
}

/** The addon's exports (native/addon.cc). Interface arguments take an ifindex or a name; netns is a path. */
export interface NetioBinding {
  PacketSocket: new (
    type: number,
    protocol: number,
    filter: Uint8Array | null,
    iface: number | string,
    netns: string | null,
  ) => NativePacketSocket;
  HangupWatch: new (fd: number) => NativeHangupWatch;
  createPipe(): [number, number];
  TapDevice: new (name: string, vnetHdr: boolean, create: boolean, netns: string | null) => NativeTapDevice;
  tapCreate(name: string, vnetHdr: boolean, owner: number, group: number, netns: string | null): string;
  tapDelete(name: string, netns: string | null): void;
  openSocket(domain: number, type: number, protocol: number, netns: string | null): number;
  interfaceIndex(name: string, netns: string | null): number;
  setnsCurrentThread(path: string): void;
  nameNetns(source: string, target: string): void;
  unnameNetns(target: string): void;
  setIntOption(fd: number, level: number, name: number, value: number): void;
  bindToDevice(fd: number, device: string | null): void;
  bindAddress(fd: number, family: 4 | 6, address: string, port: number): void;
  setMembership(fd: number, family: 4 | 6, group: string, iface: number | string, join: boolean): void;
  sendIpv4(fd: number, packet: Uint8Array): number;
  SpliceRelay: new (fdA: number, fdB: number, pipeBytes: number) => NativeSpliceRelay;
}

/** build/Release/netio.node, relative to the package root: the same from src/ (jest) and dist/. */
export const addonPath = path.join(__dirname, '..', 'build', 'Release', 'netio.node');

let loaded: NetioBinding | undefined;

/** Loads the addon on first use, so pure modules (BPF, MAC parsing) work without it. */
export function binding(): NetioBinding {
  if (loaded === undefined) {
    try {
      loaded = require(addonPath) as NetioBinding;
    } catch (cause) {
      throw new AddonMissingError(addonPath, cause);
    }
  }
  return loaded;
}
