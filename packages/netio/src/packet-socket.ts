import { binding, type NativePacketSocket } from './binding';
import { type BpfProgram, encodeProgram } from './bpf/assembler';
import { SOCK_DGRAM, SOCK_RAW } from './constants';
import { callNative, InvalidArgumentError, type NetioError } from './errors';
import { type MacAddress, parseMac } from './mac';
import { type NetnsTarget, optionalNetnsPath } from './netns';
import { PortEmitter } from './port';
import { assertBytes, assertInteger, assertInterface } from './validate';

/** 'raw': frames carry the link-layer header; 'dgram': the kernel strips it on receive and builds it on send. */
export type PacketSocketMode = 'raw' | 'dgram';

export interface PacketSocketOptions {
  mode?: PacketSocketMode;
  /** Ethertype in host order (ETH_P_IPV6, ETH_P_IP, ETH_P_ALL...). */
  protocol: number;
  /** Classic BPF, attached before the socket is bound, so no unfiltered frame is ever queued. */
  filter?: BpfProgram;
  /** One interface (name or ifindex); omitted: every interface of the namespace. */
  interface?: string | number;
  /** Open the socket in this namespace (default: the process's). */
  netns?: NetnsTarget;
}

export interface PacketFrame {
  /** The frame (raw) or network-layer packet (dgram); a copy the listener may keep. */
  data: Buffer;
  /** Ingress interface (egress for PacketType.Outgoing). */
  ifindex: number;
  /** PacketType.*: Outgoing marks this host's own transmissions. */
  packetType: number;
  /** Ethertype (host order). */
  protocol: number;
  srcMac: Buffer;
}

export interface PacketDestination {
  /** Defaults to the interface the socket is bound to. */
  ifindex?: number;
  /** Destination MAC: required in dgram mode, ignored by the kernel in raw mode. */
  mac?: MacAddress;
  /** Ethertype for dgram mode; defaults to the socket's protocol. */
  protocol?: number;
}

export interface PacketSocketStats {
  /** Frames accepted by the filter since the last call (the kernel resets on read), drops included. */
  packets: number;
  /** Frames dropped because the receive queue was full. */
  drops: number;
  /** Frames larger than the receive buffer, dropped by the addon. */
  truncated: number;
}

export interface PacketSocketEvents {
  frame: [PacketFrame];
  error: [NetioError];
  close: [];
}

const ETHERNET_HEADER = 14;
const MAX_PACKET = 65535;

/** An AF_PACKET socket on the libuv loop. Emits 'frame' for every frame; all queued frames per wake-up. */
export class PacketSocket extends PortEmitter<PacketSocketEvents> {
  readonly mode: PacketSocketMode;
  readonly protocol: number;
  /** Bound interface, 0 when bound to all. */
  readonly ifindex: number;

  /** @internal use openPacketSocket */
  constructor(
    private readonly handle: NativePacketSocket,
    mode: PacketSocketMode,
    protocol: number,
  ) {
    super('packet socket', handle);
    this.mode = mode;
    this.protocol = protocol;
    this.ifindex = handle.ifindex;
    handle.onframe = (data, ifindex, packetType, frameProtocol, srcMac) => {
      this.emit('frame', { data, ifindex, packetType, protocol: frameProtocol, srcMac });
    };
  }

  /** Sends one frame (raw: with its Ethernet header); returns the bytes sent. */
  send(frame: Uint8Array, to: PacketDestination = {}): number {
    this.port.check();
    const header = this.mode === 'raw' ? ETHERNET_HEADER : 0;
    assertBytes('frame', frame, Math.max(header, 1), MAX_PACKET + header);
    const ifindex = to.ifindex ?? this.ifindex;
    assertInteger('destination ifindex', ifindex, 1, 0x7fffffff);
    const protocol = to.protocol ?? this.protocol;
    assertInteger('destination protocol', protocol, 0, 0xffff);
    if (this.mode === 'dgram' && to.mac === undefined) {
      throw new InvalidArgumentError('a dgram packet socket needs a destination MAC');
    }
    const mac = to.mac === undefined ? null : parseMac(to.mac);
    return callNative('send on packet socket', () => this.handle.send(frame, ifindex, mac, protocol));
  }

  stats(): PacketSocketStats {
    this.port.check();
    return callNative('packet socket statistics', () => this.handle.stats());
  }
}

export function openPacketSocket(options: PacketSocketOptions): PacketSocket {
  const mode = options.mode ?? 'raw';
  if (mode !== 'raw' && mode !== 'dgram')
    throw new InvalidArgumentError(`unknown packet socket mode: ${mode}`);
  assertInteger('protocol', options.protocol, 0, 0xffff);
  const iface = options.interface ?? 0;
  if (iface !== 0) assertInterface('interface', iface);
  const filter = options.filter === undefined ? null : encodeProgram(options.filter);
  const netns = optionalNetnsPath(options.netns);
  const type = mode === 'raw' ? SOCK_RAW : SOCK_DGRAM;
  const { PacketSocket: Native } = binding();
  const handle = callNative(`open packet socket on ${iface === 0 ? 'all interfaces' : iface}`, () => {
    return new Native(type, options.protocol, filter, iface, netns);
  });
  return new PacketSocket(handle, mode, options.protocol);
}
