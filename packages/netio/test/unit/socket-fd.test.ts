import type net from 'node:net';
import { socketFd } from '../../src/socket-fd';

const withHandle = (handle: unknown) => ({ _handle: handle }) as unknown as net.Socket;

describe('socketFd', () => {
  test("reads libuv's fd from the socket's handle", () => {
    expect(socketFd(withHandle({ fd: 7 }))).toBe(7);
  });

  test('a socket without a handle or fd is an invalid-argument error that says so', () => {
    const invalid = (pattern: RegExp) =>
      expect.objectContaining({
        code: 'PP_ERR_NETIO_INVALID_ARGUMENT',
        message: expect.stringMatching(pattern),
      });
    expect(() => socketFd(withHandle(null), 'socket a')).toThrow(invalid(/^socket a has no fd .*missing/));
    expect(() => socketFd(withHandle({}))).toThrow(invalid(/_handle\.fd is undefined/));
    expect(() => socketFd(withHandle({ fd: -1 }))).toThrow(invalid(/_handle\.fd is -1/));
  });
});
