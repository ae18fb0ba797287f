import { isIP } from 'node:net';
import { InvalidArgumentError, PeerError } from '../errors';
import { assertInterfaceName, assertPort } from '../names';
import type { Netns } from '../netns';
import { parsePeerResult, peerScriptArgv } from '../peer-script';
import type { TrackedProcess } from '../processes';
import type { Testbed } from '../testbed';
import { startEventPeer } from './event-peer';
import type { Service } from './service';

export interface UdpListenerOptions {
  readonly port: number;
  /** Bind address (default 0.0.0.0, or :: with family 6); 0.0.0.0 also gets IPv4 broadcasts. */
  readonly address?: string;
  /** Join this group on this interface (IPv4: through its address; IPv6: by its index). */
  readonly group?: { readonly address: string; readonly interface: string };
  /** Default 4. */
  readonly family?: 4 | 6;
}

export interface UdpDatagram {
  /** Source, 'address:port' ('[address]:port' for IPv6). */
  readonly from: string;
  /** The payload as UTF-8. */
  readonly payload: string;
}

/** A UDP socket in a namespace that records every datagram it gets. */
export interface UdpListener extends Service {
  readonly process: TrackedProcess;
  readonly port: number;
  /** Every datagram so far, in order. */
  received(): UdpDatagram[];
  /** Resolves once at least `count` datagrams arrived, or with those there are when `timeoutMs` (5 s) passed. */
  waitForDatagrams(count: number, timeoutMs?: number): Promise<UdpDatagram[]>;
}

export interface UdpSendOptions {
  /** Unicast, broadcast (needs `broadcast`) or group address. */
  readonly to: string;
  readonly port: number;
  readonly payload: string;
  /** Default: an ephemeral port. */
  readonly sourcePort?: number;
  /** SO_BROADCAST, for 255.255.255.255 and directed broadcasts. */
  readonly broadcast?: boolean;
  /**
   * The interface to send from: IPv4 binds to its address (which also picks the way out for
   * 255.255.255.255) and sets IP_MULTICAST_IF; IPv6 sets IPV6_MULTICAST_IF. No SO_BINDTODEVICE.
   */
  readonly interface?: string;
  /** Datagrams to send (default 1), `intervalMs` (default 100) apart. */
  readonly count?: number;
  readonly intervalMs?: number;
}

export interface UdpSendResult {
  /** The port the datagrams left from (the ephemeral one when no sourcePort was given). */
  readonly sourcePort: number;
}

function assertAddress(address: string): void {
  if (isIP(address.split('%')[0] ?? '') === 0) {
    throw new InvalidArgumentError(`${JSON.stringify(address)} is not an IP address`);
  }
}

function assertCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min)
    throw new InvalidArgumentError(`${name} ${value} is not >= ${min}`);
}

export async function startUdpListener(
  bed: Testbed,
  ns: Netns,
  options: UdpListenerOptions,
): Promise<UdpListener> {
  assertPort(options.port);
  if (options.address !== undefined) assertAddress(options.address);
  if (options.group !== undefined) {
    assertAddress(options.group.address);
    assertInterfaceName(options.group.interface);
  }
  const argv = [
    ...peerScriptArgv('udp-listener'),
    ...[`--port=${options.port}`, `--family=${options.family ?? 4}`],
    ...(options.address === undefined ? [] : [`--address=${options.address}`]),
    ...(options.group === undefined
      ? []
      : [`--group=${options.group.address}`, `--group-interface=${options.group.interface}`]),
  ];
  const peer = await startEventPeer(bed, ns, argv, (line) =>
    typeof line.from === 'string' && typeof line.payload === 'string'
      ? { from: line.from, payload: line.payload }
      : undefined,
  );
  return {
    pid: peer.pid,
    process: peer.process,
    port: options.port,
    received: peer.events,
    waitForDatagrams: peer.waitForEvents,
    stop: peer.stop,
  };
}

/** Sends UDP datagrams from inside `ns` (a one-shot peer) and resolves once they are all sent. */
export async function sendUdp(ns: Netns, options: UdpSendOptions): Promise<UdpSendResult> {
  assertAddress(options.to);
  assertPort(options.port);
  if (options.sourcePort !== undefined) assertPort(options.sourcePort);
  if (options.interface !== undefined) assertInterfaceName(options.interface);
  const count = options.count ?? 1;
  const intervalMs = options.intervalMs ?? 100;
  assertCount('count', count, 1);
  assertCount('intervalMs', intervalMs, 0);
  const argv = [
    ...peerScriptArgv('udp-send'),
    ...[`--to=${options.to}`, `--port=${options.port}`, `--payload=${options.payload}`],
    ...[`--count=${count}`, `--interval=${intervalMs}`],
    ...(options.sourcePort === undefined ? [] : [`--source-port=${options.sourcePort}`]),
    ...(options.broadcast ? ['--broadcast'] : []),
    ...(options.interface === undefined ? [] : [`--interface=${options.interface}`]),
  ];
  const { stdout } = await ns.exec(argv, { timeoutMs: count * intervalMs + 10_000 });
  const result = parsePeerResult(stdout);
  if (typeof result.sourcePort !== 'number')
    throw new PeerError(`udp-send result lacks sourcePort: ${stdout.trim()}`);
  return { sourcePort: result.sourcePort };
}
