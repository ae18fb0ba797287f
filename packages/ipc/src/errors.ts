/** Stable codes of every error this package raises. Callers branch on these, never on messages. */
export type IpcErrorCode =
  | 'PP_ERR_IPC_INVALID_OPTION'
  | 'PP_ERR_IPC_FRAME_TOO_LARGE'
  | 'PP_ERR_IPC_TRUNCATED_FRAME'
  | 'PP_ERR_IPC_DECODE'
  | 'PP_ERR_IPC_INVALID_MESSAGE'
  | 'PP_ERR_IPC_CHANNEL_CLOSED'
  | 'PP_ERR_IPC_SOCKET';

/** Base class of every error of the manager-helper protocol. */
export abstract class IpcError extends Error {
  abstract readonly code: IpcErrorCode;
}

/** A constructor or function option is out of range. */
export class InvalidOptionError extends IpcError {
  readonly code = 'PP_ERR_IPC_INVALID_OPTION';
  override readonly name = 'InvalidOptionError';
}

/**
 * A frame's length exceeds the allowed maximum. On receive this is fatal to the channel: the length prefix
 * cannot be trusted, so the stream has lost its frame boundaries.
 */
export class FrameTooLargeError extends IpcError {
  readonly code = 'PP_ERR_IPC_FRAME_TOO_LARGE';
  override readonly name = 'FrameTooLargeError';

  constructor(
    readonly length: number,
    readonly maxFrameBytes: number,
  ) {
    super(`frame of ${length} bytes exceeds the maximum of ${maxFrameBytes}`);
  }
}

/** The stream ended inside a frame: the peer died or closed mid-write. */
export class TruncatedFrameError extends IpcError {
  readonly code = 'PP_ERR_IPC_TRUNCATED_FRAME';
  override readonly name = 'TruncatedFrameError';
}

/** A frame's payload is not a valid envelope (protobuf decode error or a required field missing). */
export class DecodeError extends IpcError {
  readonly code = 'PP_ERR_IPC_DECODE';
  override readonly name = 'DecodeError';
}

/** A message handed to `send` does not verify against the schema; nothing was sent. */
export class InvalidMessageError extends IpcError {
  readonly code = 'PP_ERR_IPC_INVALID_MESSAGE';
  override readonly name = 'InvalidMessageError';
}

/** `send` on a channel that is closed. */
export class ChannelClosedError extends IpcError {
  readonly code = 'PP_ERR_IPC_CHANNEL_CLOSED';
  override readonly name = 'ChannelClosedError';
}

/** The underlying stream reported an error (e.g. EPIPE, ECONNRESET); the original is the `cause`. */
export class SocketError extends IpcError {
  readonly code = 'PP_ERR_IPC_SOCKET';
  override readonly name = 'SocketError';
}
