import { callNative, NetioError, SyscallError } from '../../src/errors';

const nativeError = (code: string, syscall: string) =>
  Object.assign(new Error(`${syscall}: No such device (${code})`), { code, errno: 19, syscall });

describe('callNative', () => {
  test('turns a native syscall error into a SyscallError with the errno name', () => {
    const native = nativeError('ENODEV', 'bind');
    let caught: unknown;
    try {
      callNative('open packet socket on eth9', () => {
        throw native;
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SyscallError);
    expect(caught).toMatchObject({
      code: 'PP_ERR_NETIO_SYSCALL',
      errnoName: 'ENODEV',
      errno: 19,
      syscall: 'bind',
      message: 'open packet socket on eth9: bind: No such device (ENODEV)',
      cause: native,
    });
  });

  test('turns a native TypeError into an invalid-argument error', () => {
    expect(() =>
      callNative('send', () => {
        throw Object.assign(new TypeError('frame must be a Uint8Array'), { code: 'EINVAL' });
      }),
    ).toThrow(expect.objectContaining({ code: 'PP_ERR_NETIO_INVALID_ARGUMENT' }));
  });

  test('passes other errors and results through', () => {
    const other = new RangeError('x');
    expect(() =>
      callNative('op', () => {
        throw other;
      }),
    ).toThrow(other);
    expect(callNative('op', () => 7)).toBe(7);
    expect(new NetioError('PP_ERR_NETIO_CLOSED', 'm').name).toBe('NetioError');
  });
});
