export {
  A_CNXN,
  A_VERSION_MIN,
  A_VERSION_SKIP_CHECKSUM,
  type AdbPacket,
  byteSum,
  cnxnReply,
  dataCheckValid,
  decodePacket,
  encodePacket,
  FAKE_DEVICE_BANNER,
} from './adb/packet';
export { formatEndpoint, formatIpv6, parseIpv6, slaacAddress } from './addressing';
export type { RunOptions, RunResult } from './command';
export type { BusConfig, PrivateBus, PrivateBusOptions } from './dbus';
export { renderBusConfig } from './dbus';
export * from './errors';
export { type ByteMutation, byteMutation, isByteMutation, mutateBytes } from './fuzz';
export { type IntegrationSuiteOptions, integrationSuite, type SuiteContext } from './jest';
export type { VethOptions } from './links';
export { type Logger, silentLogger } from './logger';
export {
  DNS_TYPES,
  type DnsMessage,
  type DnsQuestion,
  type DnsRecord,
  type DnsRecordData,
  type DnsTypeName,
  decodeMessage,
  encodeQuery,
} from './mdns/codec';
export { type MdnsQuery, type MdnsResponse, mdnsQuery } from './mdns/query';
export { PREFIX_PATTERN } from './names';
export type { Netns } from './netns';
export { missingPrivileges } from './privileges';
export { findProcessesInNetns, namespaceInode, type ProcessIdentity, parseProcStat } from './proc';
export type { ProcessExit, ReadyCondition, TrackedProcess } from './processes';
export { describeTestbed, type NetnsReport, type TestbedReport } from './report';
export {
  ADB_PORT,
  type AdbClient,
  type AdbDevice,
  adbClient,
  type FakeAdbd,
  type FakeAdbdEvent,
  type FakeAdbdOptions,
  parseAdbDevices,
  startFakeAdbd,
} from './services/adb';
export {
  type Avahi,
  type AvahiBus,
  type AvahiConfig,
  type AvahiServiceRecord,
  startAvahi,
} from './services/avahi';
export {
  type AvahiBrowseOptions,
  type AvahiBrowseResult,
  avahiBrowse,
  parseAvahiBrowseOutput,
} from './services/avahi-browse';
export {
  DEFAULT_ECHO_PORT,
  type EchoPeer,
  type EchoPeerOptions,
  type EchoRequest,
  type EchoResult,
  echoRoundTrip,
  startEchoPeer,
} from './services/echo';
export type { EventPeer } from './services/event-peer';
export { type Radvd, type RadvdConfig, startRadvd } from './services/radvd';
export type { Service } from './services/service';
export {
  type SsdpResponder,
  type SsdpResponderOptions,
  type SsdpSearchOptions,
  type SsdpSearchResponse,
  type SsdpSearchResult,
  type SsdpSearchSeen,
  ssdpSearch,
  startSsdpResponder,
} from './services/ssdp';
export {
  holdStreams,
  type StreamHoldEvent,
  type StreamTarget,
  type StreamTransferOptions,
  type StreamTransferResult,
  streamTransfer,
} from './services/stream';
export {
  sendUdp,
  startUdpListener,
  type UdpDatagram,
  type UdpListener,
  type UdpListenerOptions,
  type UdpSendOptions,
  type UdpSendResult,
} from './services/udp';
export {
  buildMSearch,
  buildSearchResponse,
  DEFAULT_SEARCH_TARGET,
  type MSearch,
  parseSsdpMessage,
  type SearchResponse,
  SSDP_ALL,
  SSDP_GROUP,
  SSDP_PORT,
  type SsdpMessage,
} from './ssdp/message';
export { STATE_DIR } from './state';
export { type SweepOptions, type SweepReport, sweepLeftovers } from './sweep';
export {
  type Container,
  type ContainerOptions,
  createTestbed,
  type SpawnOptions,
  type Testbed,
  type TestbedOptions,
} from './testbed';
export { HOST_SLAAC_IPV6, VIRTUAL_HOST } from './topology';
export {
  type AvahiStartOptions,
  createVirtualHost,
  type RadvdStartOptions,
  type VirtualHost,
  type VirtualHostOptions,
} from './virtual-host';
export { waitUntil } from './wait';
