import dgram from 'node:dgram';
import { closeSync } from 'node:fs';
import { isIP } from 'node:net';
import { binding } from './binding';
import * as c from './constants';
import { ClosedError, callNative, InvalidArgumentError } from './errors';
import { type NetnsTarget, optionalNetnsPath } from './netns';
import { assertInteger, assertInterface, assertInterfaceName } from './validate';

export type IpFamily = 4 | 6;

export interface MulticastMembership {
  group: string;
  /** Interface name or ifindex on which to join (ip_mreqn.imr_ifindex / ipv6mr_interface). */
  interface: string | number;
}

export interface UdpSocketOptions {
  family: IpFamily;
  /** SO_BINDTODEVICE: send through, and receive only from, this device. */
  device?: string;
  /** Bind to this port (on `address`, default the wildcard); omitted: left unbound until the first send. */
  port?: number;
  address?: string;
  /** SO_REUSEADDR, default true (several forwarders share a port on different devices). */
  reuseAddress?: boolean;
  broadcast?: boolean;
  memberships?: readonly MulticastMembership[];
  /** IP_MULTICAST_LOOP / IPV6_MULTICAST_LOOP, default false. */
  multicastLoop?: boolean;
  /** TTL or hop limit of multicast datagrams (kernel default 1). */
  multicastTtl?: number;
  /** TTL or hop limit of unicast datagrams. */
  ttl?: number;
  /** Create the socket in this namespace. */
  netns?: NetnsTarget;
}

/**
 * A UDP socket configured with what dgram cannot do, then adopted by dgram (bind({ fd })): receive with
 * socket.on('message'), send with socket.send(). Only groups joined on this socket are delivered to it
 * (IP_MULTICAST_ALL off), and IPv6 sockets are IPv6-only.
 */
export class UdpSocket {
  private closedFlag = false;

  /** @internal use openUdpSocket */
  constructor(
    readonly socket: dgram.Socket,
    readonly fd: number,
    readonly family: IpFamily,
  ) {
    socket.once('close', () => {
      this.closedFlag = true;
    });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  joinGroup(group: string, iface: string | number): void {
    this.membership(group, iface, true);
  }

  leaveGroup(group: string, iface: string | number): void {
    this.membership(group, iface, false);
  }

  close(): Promise<void> {
    if (this.closedFlag) return Promise.reject(new ClosedError('UDP socket'));
    this.closedFlag = true;
    return new Promise((resolve) => this.socket.close(resolve));
  }

  private membership(group: string, iface: string | number, join: boolean): void {
    if (this.closedFlag) throw new ClosedError('UDP socket');
    assertAddress('multicast group', group, this.family);
    assertInterface('multicast interface', iface);
    const verb = join ? 'join' : 'leave';
    callNative(`${verb} ${group} on ${iface}`, () =>
      binding().setMembership(this.fd, this.family, group, iface, join),
    );
  }
}

function assertAddress(name: string, address: unknown, family: IpFamily): asserts address is string {
  if (typeof address !== 'string' || isIP(address) !== family) {
    throw new InvalidArgumentError(`${name} must be an IPv${family} address, got ${String(address)}`);
  }
}

function validate(options: UdpSocketOptions): void {
  if (options.family !== 4 && options.family !== 6) throw new InvalidArgumentError('family must be 4 or 6');
  if (options.device !== undefined) assertInterfaceName('device', options.device);
  if (options.port !== undefined) assertInteger('port', options.port, 0, 65535);
  if (options.address !== undefined) assertAddress('address', options.address, options.family);
  if (options.multicastTtl !== undefined) assertInteger('multicastTtl', options.multicastTtl, 0, 255);
  if (options.ttl !== undefined) assertInteger('ttl', options.ttl, 1, 255);
  for (const membership of options.memberships ?? []) {
    assertAddress('multicast group', membership.group, options.family);
    assertInterface('multicast interface', membership.interface);
  }
}

/** The setsockopt steps, in the order the multicast forwarder needs them (spec helpers §6.3). */
function configure(fd: number, options: UdpSocketOptions): void {
  const native = binding();
  const v4 = options.family === 4;
  const set = (level: number, name: number, value: number | boolean) =>
    native.setIntOption(fd, level, name, Number(value));
  if (!v4) set(c.IPPROTO_IPV6, c.IPV6_V6ONLY, 1);
  if (options.device !== undefined) native.bindToDevice(fd, options.device);
  for (const { group, interface: iface } of options.memberships ?? []) {
    native.setMembership(fd, options.family, group, iface, true);
  }
  set(v4 ? c.IPPROTO_IP : c.IPPROTO_IPV6, v4 ? c.IP_MULTICAST_ALL : c.IPV6_MULTICAST_ALL, 0);
  set(
    v4 ? c.IPPROTO_IP : c.IPPROTO_IPV6,
    v4 ? c.IP_MULTICAST_LOOP : c.IPV6_MULTICAST_LOOP,
    !!options.multicastLoop,
  );
  if (options.multicastTtl !== undefined) {
    set(
      v4 ? c.IPPROTO_IP : c.IPPROTO_IPV6,
      v4 ? c.IP_MULTICAST_TTL : c.IPV6_MULTICAST_HOPS,
      options.multicastTtl,
    );
  }
  if (options.ttl !== undefined)
    set(v4 ? c.IPPROTO_IP : c.IPPROTO_IPV6, v4 ? c.IP_TTL : c.IPV6_UNICAST_HOPS, options.ttl);
  set(c.SOL_SOCKET, c.SO_REUSEADDR, options.reuseAddress ?? true);
  if (options.broadcast) set(c.SOL_SOCKET, c.SO_BROADCAST, 1);
  if (options.port !== undefined) {
    native.bindAddress(fd, options.family, options.address ?? (v4 ? '0.0.0.0' : '::'), options.port);
  }
}

export function openUdpSocket(options: UdpSocketOptions): UdpSocket {
  validate(options);
  const netns = optionalNetnsPath(options.netns);
  const domain = options.family === 4 ? c.AF_INET : c.AF_INET6;
  const what = `UDP socket${options.device === undefined ? '' : ` on ${options.device}`}`;
  const fd = callNative(`open ${what}`, () => binding().openSocket(domain, c.SOCK_DGRAM, 0, netns));
  try {
    callNative(`configure ${what}`, () => configure(fd, options));
    const socket = dgram.createSocket({ type: options.family === 4 ? 'udp4' : 'udp6' });
    socket.bind({ fd });
    return new UdpSocket(socket, fd, options.family);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}
