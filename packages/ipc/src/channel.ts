// A typed, framed message channel over one end of the manager-helper socketpair.
import type { Duplex } from 'node:stream';
import pino, { type Logger } from 'pino';
import { decodeEnvelope, encodeEnvelope } from './envelope';
import { ChannelClosedError, type IpcError, SocketError, TruncatedFrameError } from './errors';
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame, FrameDecoder } from './frame';
import type { Envelope, MessageByCase, MessageCase, Received } from './messages';

/**
 * Receives one decoded message. It may be async: a returned promise that rejects counts as a handler error,
 * like a throw. The channel does not wait for it before dispatching the next message.
 */
export type MessageHandler<K extends MessageCase> = (message: MessageByCase[K]) => void;

/** At most one handler per case; cases without one are counted as unhandled and ignored. */
export type MessageHandlers = { readonly [K in MessageCase]?: MessageHandler<K> };

export interface ChannelOptions {
  readonly handlers: MessageHandlers;
  /**
   * Called once when the channel closes: with no error after a clean EOF or `close()`, with an IpcError
   * after a fatal framing error (the stream is then destroyed), a stream error, or an EOF inside a frame.
   */
  readonly onClose?: (error: IpcError | undefined) => void;
  /** Default: a silent logger. The channel logs through a child with `component: 'ipc-channel'`. */
  readonly logger?: Logger;
  /** Peer name for log lines, e.g. 'nd-proxy'. */
  readonly peer?: string;
  /** Largest payload accepted and sent. Default DEFAULT_MAX_FRAME_BYTES. */
  readonly maxFrameBytes?: number;
}

export interface ChannelStats {
  readonly framesIn: number;
  readonly framesOut: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Frames whose payload did not decode (bad protobuf, required field missing). */
  readonly framesDropped: number;
  /** Decoded envelopes with no handler for their case, or with no case this build knows. */
  readonly unhandled: number;
  /** Handlers that threw or whose promise rejected. */
  readonly handlerErrors: number;
}

type Counters = { -readonly [K in keyof ChannelStats]: ChannelStats[K] };

const silentLogger = pino({ level: 'silent' });

export class Channel {
  private readonly decoder: FrameDecoder;
  private readonly handlers: MessageHandlers;
  private readonly onClose: ((error: IpcError | undefined) => void) | undefined;
  private readonly log: Logger;
  private readonly counters: Counters = {
    framesIn: 0,
    framesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    framesDropped: 0,
    unhandled: 0,
    handlerErrors: 0,
  };
  private closed = false;

  constructor(
    private readonly stream: Duplex,
    options: ChannelOptions,
  ) {
    this.decoder = new FrameDecoder(options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
    this.handlers = options.handlers;
    this.onClose = options.onClose;
    this.log = (options.logger ?? silentLogger).child({ component: 'ipc-channel', peer: options.peer });
    stream.on('data', (chunk: Buffer) => this.receive(chunk));
    stream.on('end', () => this.onEnd());
    stream.on('close', () => this.onEnd());
    // Kept for the stream's whole life: an 'error' without a listener would crash the process.
    stream.on('error', (cause: Error) =>
      this.shutdown(new SocketError(`stream error: ${cause.message}`, { cause })),
    );
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** A snapshot of the counters. */
  get stats(): ChannelStats {
    return { ...this.counters };
  }

  /**
   * Verifies, encodes and writes one envelope. Throws InvalidMessageError (nothing sent) if it does not
   * verify, FrameTooLargeError if it encodes larger than the maximum, ChannelClosedError once closed.
   */
  send(envelope: Envelope): void {
    if (this.closed) {
      throw new ChannelClosedError('send on a closed channel');
    }
    const frame = encodeFrame(encodeEnvelope(envelope), this.decoder.maxFrameBytes);
    this.stream.write(frame);
    this.counters.framesOut += 1;
    this.counters.bytesOut += frame.length;
  }

  /** Closes cleanly: pending writes are flushed, then the peer sees EOF. Idempotent. */
  close(): void {
    this.shutdown(undefined);
  }

  private receive(chunk: Buffer): void {
    if (this.closed) {
      return;
    }
    this.counters.bytesIn += chunk.length;
    this.decoder.push(chunk);
    for (;;) {
      let payload: Uint8Array | undefined;
      try {
        payload = this.decoder.next();
      } catch (error) {
        this.shutdown(error as IpcError);
        return;
      }
      if (payload === undefined || this.closed) {
        return;
      }
      this.counters.framesIn += 1;
      this.dispatch(payload);
    }
  }

  private dispatch(payload: Uint8Array): void {
    let received: Received | undefined;
    try {
      received = decodeEnvelope(payload);
    } catch (err) {
      this.counters.framesDropped += 1;
      this.log.warn({ err, bytes: payload.length }, 'dropped undecodable frame');
      return;
    }
    if (received === undefined) {
      this.counters.unhandled += 1;
      this.log.debug({ bytes: payload.length }, 'ignored envelope with no known case');
      return;
    }
    this.invoke(received);
  }

  private invoke<K extends MessageCase>(received: Received<K>): void {
    const handler: MessageHandlers[K] = this.handlers[received.kind];
    if (handler === undefined) {
      this.counters.unhandled += 1;
      this.log.debug({ kind: received.kind }, 'ignored message with no handler');
      return;
    }
    try {
      const result: unknown = handler(received.message);
      if (result instanceof Promise) {
        result.catch((err: unknown) => this.onHandlerError(received.kind, err));
      }
    } catch (err) {
      this.onHandlerError(received.kind, err);
    }
  }

  private onHandlerError(kind: MessageCase, err: unknown): void {
    this.counters.handlerErrors += 1;
    this.log.error({ err, kind }, 'message handler failed');
  }

  private onEnd(): void {
    if (this.closed) {
      return;
    }
    const error = this.decoder.midFrame ? new TruncatedFrameError('stream ended inside a frame') : undefined;
    this.shutdown(error);
  }

  private shutdown(error: IpcError | undefined): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    if (error === undefined) {
      this.log.debug('channel closed');
      this.stream.end();
    } else {
      this.log.error({ err: error, code: error.code }, 'channel closed on error');
      this.stream.destroy();
    }
    this.onClose?.(error);
  }
}
