import type { Message } from 'dbus-next';
import { createSignatureGuard } from '../../../src/dbus/signature-guard';
import { LogSink } from '../../support/log-sink';

const PATH = '/org/chromium/PatchPanel';
const IFACE = 'org.chromium.PatchPanel';

function call(fields: Partial<Message>): Message {
  return { path: PATH, interface: IFACE, signature: 'ay', body: [Buffer.alloc(0)], ...fields } as Message;
}

function setup() {
  const sink = new LogSink();
  const closed: number[] = [];
  const replies: Array<[Message, Buffer]> = [];
  const guard = createSignatureGuard({
    logger: sink.logger,
    closeFd: (fd) => closed.push(fd),
    reply: (message, response) => replies.push([message, response]),
  });
  return { guard, sink, closed, replies };
}

describe('the signature guard', () => {
  test.each([
    ['ConnectNamespace', 'ayh', [Buffer.alloc(0), 5]],
    ['ModifyPortRule', 'ay', [Buffer.alloc(0)]],
    ['GetDevices', 'ay', [Buffer.alloc(0)]],
  ])('lets %s(%s) through to the interface untouched', (member, signature, body) => {
    const { guard, closed, replies, sink } = setup();
    expect(guard(call({ member, signature, body }))).toBe(false);
    expect(closed).toEqual([]);
    expect(replies).toEqual([]);
    expect(sink.lines).toEqual([]);
  });

  test('answers ConnectNamespace without its fd with the failure response and logs why', () => {
    const { guard, closed, replies, sink } = setup();
    const message = call({ member: 'ConnectNamespace', signature: 'ay' });
    expect(guard(message)).toBe(true);
    expect(closed).toEqual([]);
    expect(replies).toEqual([[message, Buffer.alloc(0)]]);
    expect(sink.lines).toEqual([
      expect.objectContaining({
        level: 40,
        method: 'ConnectNamespace',
        code: 'PP_ERR_DBUS_SIGNATURE',
        msg: 'request rejected',
      }),
    ]);
  });

  test('closes every fd of a call with extra fds, and still answers it', () => {
    const { guard, closed, replies } = setup();
    expect(
      guard(call({ member: 'ConnectNamespace', signature: 'ayhh', body: [Buffer.alloc(0), 5, 6] })),
    ).toBe(true);
    expect(closed).toEqual([5, 6]);
    expect(replies).toHaveLength(1);
  });

  test('closes the fds of a call to a method we do not have, and leaves the answer to dbus-next', () => {
    const { guard, closed, replies } = setup();
    expect(guard(call({ member: 'SetVpnIntent', signature: 'ayh', body: [Buffer.alloc(0), 7] }))).toBe(false);
    expect(guard(call({ member: 'toString', signature: 'h', body: [8] }))).toBe(false);
    expect(
      guard(
        call({
          member: 'ConnectNamespace',
          interface: undefined,
          signature: 'ayh',
          body: [Buffer.alloc(0), 9],
        }),
      ),
    ).toBe(false);
    expect(closed).toEqual([7, 8, 9]);
    expect(replies).toEqual([]);
  });

  test('never touches calls to other objects or interfaces', () => {
    const { guard, closed, replies } = setup();
    const body = [Buffer.alloc(0), 5];
    expect(guard(call({ path: '/other', member: 'ConnectNamespace', signature: 'ayhh', body }))).toBe(false);
    expect(guard(call({ interface: 'org.example.Other', member: 'X', signature: 'ayh', body }))).toBe(false);
    expect(closed).toEqual([]);
    expect(replies).toEqual([]);
  });
});
