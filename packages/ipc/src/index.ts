export {
  Channel,
  type ChannelOptions,
  type ChannelStats,
  type MessageHandler,
  type MessageHandlers,
} from './channel';
export { type DeviceChange, deviceEnvelope, readDeviceMessage } from './device';
export { decodeEnvelope, encodeEnvelope } from './envelope';
export {
  ChannelClosedError,
  DecodeError,
  FrameTooLargeError,
  InvalidMessageError,
  InvalidOptionError,
  IpcError,
  type IpcErrorCode,
  SocketError,
  TruncatedFrameError,
} from './errors';
export { DEFAULT_MAX_FRAME_BYTES, encodeFrame, FRAME_HEADER_BYTES, FrameDecoder } from './frame';
export { HELPER_CHANNEL_FD, type HelperProcessOptions, runHelperProcess } from './helper-process';
export {
  AdbPolicyMessage,
  DeviceMessage,
  type Envelope,
  GuestEvent,
  GuestMessage,
  GuestType,
  HelperKind,
  HelperReadyMessage,
  IPC_PROTOCOL_VERSION,
  IpHelperMessage,
  type MessageByCase,
  type MessageCase,
  type MessageFields,
  NDProxyEventType,
  NDProxyMessage,
  type Received,
  ReplayPhase,
  StateReplayMessage,
} from './messages';
export { type NdProxyReport, ndProxyEnvelope, readNdProxyMessage } from './ndproxy';
export {
  runStandaloneProcess,
  type StandaloneDaemon,
  type StandaloneProcessOptions,
} from './standalone-process';
