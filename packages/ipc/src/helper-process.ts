// The helper's side of the manager channel: readiness, state replay and exit when the manager is gone.
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { Channel, type MessageHandler, type MessageHandlers } from './channel';
import {
  type HelperKind,
  IPC_PROTOCOL_VERSION,
  type MessageCase,
  ReplayPhase,
  type StateReplayMessage,
} from './messages';

/** The fd on which every helper inherits its end of the socketpair. */
export const HELPER_CHANNEL_FD = 3;

/** The messages that carry state, and so are counted during a replay. */
const stateCases = [
  'guestMessage',
  'deviceMessage',
  'adbPolicyMessage',
] as const satisfies readonly MessageCase[];

export interface HelperProcessOptions {
  readonly kind: HelperKind;
  readonly logger: Logger;
  /** Handlers for manager messages. They also receive replayed state, like live events. */
  readonly handlers: Omit<MessageHandlers, 'stateReplayMessage' | 'helperReadyMessage'>;
  /** A replay starts: drop everything held, the replay brings the current state. */
  readonly onReplayBegin?: () => void;
  /** Called when the manager is gone, before the process exits. Release what the helper holds. */
  readonly onShutdown?: () => void;
  /** Default: the inherited HELPER_CHANNEL_FD. Tests pass their own stream. */
  readonly socket?: Duplex;
  /** Default: process.exit. */
  readonly exit?: (code: number) => void;
}

/**
 * Opens the channel, says ready, applies replays (acknowledging each END with the number of state messages
 * it received, so the manager can tell a helper that lost a frame), and exits when the channel closes: that
 * is how a helper learns that its manager died, whatever the cause.
 */
export function runHelperProcess(options: HelperProcessOptions): Channel {
  const { kind, logger, handlers } = options;
  const log = logger.child({ component: 'helper-process' });
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let replayed: number | undefined;

  const counting = <K extends (typeof stateCases)[number]>(handler: MessageHandler<K> | undefined) =>
    ((message) => {
      if (replayed !== undefined) replayed += 1;
      return handler?.(message);
    }) as MessageHandler<K>;

  const onReplay = (message: StateReplayMessage): void => {
    if (message.phase === ReplayPhase.BEGIN) {
      replayed = 0;
      options.onReplayBegin?.();
    } else if (message.phase === ReplayPhase.END) {
      const messageCount = replayed ?? 0;
      replayed = undefined;
      log.info({ replayed: messageCount }, 'state replay applied');
      channel.send({ stateReplayMessage: { phase: ReplayPhase.END, messageCount } });
    }
  };

  const socket = options.socket ?? new Socket({ fd: HELPER_CHANNEL_FD, readable: true, writable: true });
  const channel = new Channel(socket, {
    peer: 'manager',
    logger,
    handlers: {
      ...handlers,
      guestMessage: counting(handlers.guestMessage),
      deviceMessage: counting(handlers.deviceMessage),
      adbPolicyMessage: counting(handlers.adbPolicyMessage),
      stateReplayMessage: onReplay,
    },
    onClose: (error) => {
      log.info({ code: error?.code }, 'manager channel closed; exiting');
      options.onShutdown?.();
      exit(error ? 1 : 0);
    },
  });
  channel.send({
    helperReadyMessage: { helper: kind, pid: process.pid, protocolVersion: IPC_PROTOCOL_VERSION },
  });
  log.info('helper ready');
  return channel;
}
