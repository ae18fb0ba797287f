// The broadcast forwarder engine: pure logic over an injected BroadcastIo (src/system/broadcast-io.ts is the
// real one), so it is tested with fakes.
export type { BroadcastCounterName, BroadcastDropReason } from './counters';
export { BroadcastForwarder, type BroadcastForwarderOptions } from './forwarder';
export type { BroadcastIo, BroadcastListener, EgressDatagram } from './io';
