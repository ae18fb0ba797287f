import {
  Channel,
  ChannelClosedError,
  encodeFrame,
  GuestEvent,
  GuestType,
  InvalidMessageError,
  type IpcError,
} from '../../src';
import {
  allEnvelopes,
  capturingLogger,
  concat,
  duplexPair,
  expected,
  frameOf,
  recordingChannel,
  scriptedStream,
  settle,
  summary,
} from './fixtures';

const guestStart = { guestMessage: { type: GuestType.ARC, event: GuestEvent.START, arcPid: 9 } };

describe('Channel receive', () => {
  const stream = concat(allEnvelopes.map(frameOf));
  const sequence = allEnvelopes.map(expected);

  test('dispatches every case to its typed handler, in order', () => {
    const { stream: s, received, channel } = recordingChannel();
    s.emit('data', stream);
    expect(received.map(summary)).toEqual(sequence);
    expect(channel.stats).toMatchObject({
      framesIn: allEnvelopes.length,
      bytesIn: stream.length,
      unhandled: 0,
    });
  });

  test('the same stream split at every byte position gives the same messages', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const { stream: s, received, closes } = recordingChannel();
      s.emit('data', stream.subarray(0, cut));
      s.emit('data', stream.subarray(cut));
      s.emit('end');
      expect(received.map(summary)).toEqual(sequence);
      expect(closes).toEqual([undefined]);
    }
  });

  test('cases without a handler are counted and ignored', () => {
    const { stream: s } = scriptedStream();
    const seen: number[] = [];
    const channel = new Channel(s, { handlers: { guestMessage: (m) => seen.push(m.type) } });
    s.emit('data', stream);
    expect(seen).toEqual([GuestType.ARC, GuestType.TERMINA_VM]);
    expect(channel.stats.unhandled).toBe(allEnvelopes.length - 2);
  });

  test('an undecodable frame is dropped, counted and logged on one line; later frames still arrive', () => {
    const { logger, lines, raw } = capturingLogger();
    const { stream: s, received, channel, closes } = recordingChannel({ logger, peer: 'nd-proxy' });
    s.emit('data', concat([encodeFrame(Uint8Array.of(0x0a, 0x7f, 1)), frameOf(guestStart)]));
    expect(received.map(summary)).toEqual([expected(guestStart)]);
    expect(channel.stats).toMatchObject({ framesIn: 2, framesDropped: 1 });
    expect(closes).toEqual([]);
    const drop = lines().find((l) => l.msg === 'dropped undecodable frame');
    expect(drop).toMatchObject({ component: 'ipc-channel', peer: 'nd-proxy', bytes: 3, level: 40 });
    expect(drop?.err).toMatchObject({ type: 'DecodeError', code: 'PP_ERR_IPC_DECODE' });
    expect(raw.every((line) => line.trimEnd().split('\n').length === 1)).toBe(true);
  });

  test('an envelope with a case from a newer peer is counted as unhandled', () => {
    const { stream: s, received, channel } = recordingChannel();
    s.emit('data', concat([encodeFrame(Uint8Array.of((9 << 3) | 0, 1)), frameOf(guestStart)]));
    expect(received).toHaveLength(1);
    expect(channel.stats).toMatchObject({ unhandled: 1, framesDropped: 0 });
  });

  test('a throwing handler or a rejected promise is logged and counted; the channel goes on', async () => {
    const { logger, lines } = capturingLogger();
    const { stream: s } = scriptedStream();
    const devices: string[] = [];
    const channel = new Channel(s, {
      logger,
      handlers: {
        guestMessage: () => {
          throw new Error('boom');
        },
        ndproxyMessage: async () => Promise.reject(new Error('later')),
        deviceMessage: (m) => {
          devices.push(m.devIfname);
        },
      },
    });
    s.emit('data', concat(allEnvelopes.map(frameOf)));
    await settle();
    expect(channel.stats.handlerErrors).toBe(4);
    expect(devices).toEqual(['eth0', 'wlan0']);
    expect(channel.isClosed).toBe(false);
    expect(lines().filter((l) => l.msg === 'message handler failed')).toHaveLength(4);
  });

  test('an impossible length closes the channel once with the coded error and destroys the stream', () => {
    const { stream: s, received, closes, channel } = recordingChannel({ maxFrameBytes: 100 });
    s.emit('data', concat([frameOf(guestStart), Uint8Array.of(0, 0, 0, 101), frameOf(guestStart)]));
    s.emit('data', frameOf(guestStart));
    s.emit('end');
    expect(received).toHaveLength(1);
    expect(closes).toHaveLength(1);
    expect(closes[0]?.code).toBe('PP_ERR_IPC_FRAME_TOO_LARGE');
    expect(s.destroyed).toBe(true);
    expect(channel.isClosed).toBe(true);
    expect(() => channel.send(guestStart)).toThrow(ChannelClosedError);
  });

  test('EOF closes cleanly; EOF inside a frame closes with PP_ERR_IPC_TRUNCATED_FRAME', () => {
    const clean = recordingChannel();
    clean.stream.emit('data', frameOf(guestStart));
    clean.stream.emit('end');
    expect(clean.closes).toEqual([undefined]);
    const cut = recordingChannel();
    const frame = frameOf(guestStart);
    cut.stream.emit('data', concat([frame, frame.subarray(0, frame.length - 1)]));
    cut.stream.emit('end');
    expect(cut.received).toHaveLength(1);
    expect(cut.closes.map((e) => e?.code)).toEqual(['PP_ERR_IPC_TRUNCATED_FRAME']);
  });

  test('a stream error closes with PP_ERR_IPC_SOCKET, the original as cause', () => {
    const { stream: s, closes } = recordingChannel();
    const cause = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    s.emit('error', cause);
    s.emit('error', cause);
    expect(closes).toHaveLength(1);
    expect(closes[0]).toMatchObject({ code: 'PP_ERR_IPC_SOCKET', cause });
  });
});

describe('Channel send', () => {
  test('writes one frame per message and counts it', () => {
    const { channel, written } = recordingChannel();
    channel.send(guestStart);
    expect(written.map((c) => [...c])).toEqual([[...frameOf(guestStart)]]);
    expect(channel.stats).toMatchObject({ framesOut: 1, bytesOut: frameOf(guestStart).length });
  });

  test('refuses an invalid message with a coded error and writes nothing', () => {
    const { channel, written } = recordingChannel();
    expect(() => channel.send({ deviceMessage: {} } as never)).toThrow(InvalidMessageError);
    expect(() => channel.send({ guestMessage: { type: 42 as GuestType, event: 1 } })).toThrow(
      expect.objectContaining({ code: 'PP_ERR_IPC_INVALID_MESSAGE' }),
    );
    expect(written).toEqual([]);
    expect(channel.stats.framesOut).toBe(0);
  });

  test('refuses a message larger than the maximum frame', () => {
    const { channel } = recordingChannel({ maxFrameBytes: 16 });
    expect(() => channel.send({ deviceMessage: { devIfname: 'x'.repeat(32) } })).toThrow(
      expect.objectContaining({ code: 'PP_ERR_IPC_FRAME_TOO_LARGE' }),
    );
  });
});

describe('Channel pair', () => {
  test('messages flow both ways; close() is EOF for the peer', async () => {
    const [a, b] = duplexPair();
    const fromB: string[] = [];
    const aCloses: (IpcError | undefined)[] = [];
    const bCloses: (IpcError | undefined)[] = [];
    const left = new Channel(a, {
      handlers: { ndproxyMessage: (m) => void fromB.push(m.ifname) },
      onClose: (e) => aCloses.push(e),
    });
    const right = new Channel(b, {
      handlers: {
        guestMessage: (m) => right.send({ ndproxyMessage: { type: 1, ifname: `guest-${m.arcPid}` } }),
      },
      onClose: (e) => bCloses.push(e),
    });
    left.send(guestStart);
    await settle();
    expect(fromB).toEqual(['guest-9']);
    left.close();
    left.close();
    await settle();
    expect(aCloses).toEqual([undefined]);
    expect(bCloses).toEqual([undefined]);
    expect(right.isClosed).toBe(true);
  });
});
