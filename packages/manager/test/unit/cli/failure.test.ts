import { CliBusError, CliUsageError } from '../../../src/cli/errors';
import { describeFailure } from '../../../src/cli/failure';
import { DbusCallError, RequestRefusedError } from '../../../src/dbus/errors';

describe('describeFailure', () => {
  test('bad arguments exit 2, everything else 1', () => {
    expect(describeFailure(new CliUsageError('no pid'))).toEqual({
      status: 2,
      message: 'no pid (see patchpanel --help)',
    });
    expect(describeFailure(new RequestRefusedError('ConnectNamespace for pid 1 was refused'))).toEqual({
      status: 1,
      message: 'ConnectNamespace for pid 1 was refused (the daemon logs why)',
    });
    expect(describeFailure(new CliBusError('cannot talk to the bus at unix:path=/x (ENOENT)')).status).toBe(
      1,
    );
    expect(describeFailure(new Error('boom'))).toEqual({ status: 1, message: 'boom' });
  });

  test('D-Bus errors get a hint a person can act on', () => {
    const unknown = new DbusCallError('GetDevices failed', 'org.freedesktop.DBus.Error.ServiceUnknown');
    expect(describeFailure(unknown).message).toBe('GetDevices failed: is patchpaneld running on this bus?');
    const denied = new DbusCallError('GetDevices failed', 'org.freedesktop.DBus.Error.AccessDenied');
    expect(describeFailure(denied).message).toMatch(/policy does not let this user/);
    expect(describeFailure(new DbusCallError('GetDevices failed', 'x.Other')).message).toBe(
      'GetDevices failed',
    );
  });
});
