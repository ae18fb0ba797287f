import { interfaceIndex, openSocketInNetns } from './netns';
import { NetnsWorker, runInNetns } from './netns-worker';
import { openPacketSocket } from './packet-socket';
import { openRawIpv4Socket } from './raw-ipv4';
import { spliceSockets } from './splice-relay';
import { createTap, deleteTap, openTap } from './tap';
import { openUdpSocket } from './udp';

export * from './bpf/assembler';
export * from './bpf/filters';
export { runBpf } from './bpf/interpreter';
export * from './constants';
export * from './errors';
export * from './lifeline';
export * from './mac';
export * from './netns';
export * from './netns-worker';
export * from './packet-socket';
export * from './raw-ipv4';
export * from './splice-relay';
export * from './tap';
export * from './udp';
export { isInterfaceName } from './validate';

/** The I/O entry points as one value, for services that take `netio` as an injected component. */
export interface Netio {
  openPacketSocket: typeof openPacketSocket;
  openUdpSocket: typeof openUdpSocket;
  openRawIpv4Socket: typeof openRawIpv4Socket;
  createTap: typeof createTap;
  deleteTap: typeof deleteTap;
  openTap: typeof openTap;
  interfaceIndex: typeof interfaceIndex;
  openSocketInNetns: typeof openSocketInNetns;
  startNetnsWorker: typeof NetnsWorker.start;
  runInNetns: typeof runInNetns;
  spliceSockets: typeof spliceSockets;
}

export const netio: Netio = {
  openPacketSocket,
  openUdpSocket,
  openRawIpv4Socket,
  createTap,
  deleteTap,
  openTap,
  interfaceIndex,
  openSocketInNetns,
  startNetnsWorker: (target) => NetnsWorker.start(target),
  runInNetns,
  spliceSockets,
};
