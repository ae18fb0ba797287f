import { closeSync } from 'node:fs';
import { binding } from './binding';
import * as c from './constants';
import { ClosedError, callNative, InvalidArgumentError } from './errors';
import { type NetnsTarget, optionalNetnsPath } from './netns';
import { assertBytes, assertInterfaceName } from './validate';

export interface RawIpv4Options {
  /** SO_BINDTODEVICE: the device datagrams leave through (changeable with setDevice). */
  device?: string;
  netns?: NetnsTarget;
}

const IPV4_HEADER = 20;
const MAX_DATAGRAM = 65535;

// Fallback only: an unreachable, unclosed socket's fd is closed when it is collected.
const leaked = new FinalizationRegistry<number>((fd) => closeSync(fd));

/**
 * Sends complete IPv4 datagrams (IP_HDRINCL, SO_BROADCAST) with the caller's source address, TTL and ID: the
 * kernel only fills in the total length and header checksum. Receives nothing (IPPROTO_RAW).
 */
export class RawIpv4Socket {
  private closedFlag = false;

  /** @internal use openRawIpv4Socket */
  constructor(readonly fd: number) {
    leaked.register(this, fd, this);
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Sends to the packet's own destination address; returns the bytes sent. */
  send(packet: Uint8Array): number {
    this.check();
    assertBytes('packet', packet, IPV4_HEADER, MAX_DATAGRAM);
    const headerLength = (packet[0]! & 0x0f) * 4;
    if (packet[0]! >> 4 !== 4 || headerLength < IPV4_HEADER || headerLength > packet.length) {
      throw new InvalidArgumentError('packet must start with a valid IPv4 header');
    }
    return callNative('send raw IPv4', () => binding().sendIpv4(this.fd, packet));
  }

  /** Binds to another device (null: none), as the forwarder does for each guest bridge in turn. */
  setDevice(device: string | null): void {
    this.check();
    if (device !== null) assertInterfaceName('device', device);
    callNative(`bind raw IPv4 socket to ${device}`, () => binding().bindToDevice(this.fd, device));
  }

  close(): void {
    this.check();
    this.closedFlag = true;
    leaked.unregister(this);
    closeSync(this.fd);
  }

  private check(): void {
    if (this.closedFlag) throw new ClosedError('raw IPv4 socket');
  }
}

export function openRawIpv4Socket(options: RawIpv4Options = {}): RawIpv4Socket {
  if (options.device !== undefined) assertInterfaceName('device', options.device);
  const netns = optionalNetnsPath(options.netns);
  const native = binding();
  const fd = callNative('open raw IPv4 socket', () =>
    native.openSocket(c.AF_INET, c.SOCK_RAW | c.SOCK_NONBLOCK, c.IPPROTO_RAW, netns),
  );
  try {
    callNative('configure raw IPv4 socket', () => {
      native.setIntOption(fd, c.IPPROTO_IP, c.IP_HDRINCL, 1);
      native.setIntOption(fd, c.SOL_SOCKET, c.SO_BROADCAST, 1);
      if (options.device !== undefined) native.bindToDevice(fd, options.device);
    });
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return new RawIpv4Socket(fd);
}
