import { writeFileSync } from 'node:fs';
import * as dbus from 'dbus-next';
import { integrationSuite } from '../../src/jest';
import { isAlive } from '../../src/proc';

const DENY_POLICY = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <policy user="root"><deny own="org.example.Denied"/></policy>
</busconfig>
`;

const listNames = ['--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus'];

integrationSuite('private bus', (ctx) => {
  test('answers ListNames through dbus-send on its own address', async () => {
    const bus = await ctx.bed.dbus();
    expect(bus.address).toMatch(new RegExp(`^unix:path=${ctx.bed.runDir}/bus-\\d+/socket,guid=[0-9a-f]+$`));
    const host = await ctx.bed.netns('client');
    // The socket is a file: a client in any namespace of the bed reaches it.
    const { stdout } = await host.exec([
      'dbus-send',
      `--bus=${bus.address}`,
      ...listNames,
      'org.freedesktop.DBus.ListNames',
    ]);
    expect(stdout).toContain('string "org.freedesktop.DBus"');
  });

  test('serves dbus-next clients, and the given policy file is in force', async () => {
    const policyFile = `${ctx.bed.runDir}/deny.conf`;
    writeFileSync(policyFile, DENY_POLICY);
    const bus = await ctx.bed.dbus({ policyFile });
    const connection = dbus.sessionBus({ busAddress: bus.address });
    try {
      expect(await connection.requestName('org.example.Allowed', 0)).toBe(
        dbus.RequestNameReply.PRIMARY_OWNER,
      );
      await expect(connection.requestName('org.example.Denied', 0)).rejects.toMatchObject({
        type: 'org.freedesktop.DBus.Error.AccessDenied',
      });
    } finally {
      connection.disconnect();
    }
  });

  test('refuses a policy file that does not exist before starting anything', async () => {
    const before = ctx.bed.processes().length;
    await expect(ctx.bed.dbus({ policyFile: '/nonexistent/policy.conf' })).rejects.toMatchObject({
      code: 'PP_ERR_TESTBED_INVALID_ARGUMENT',
    });
    expect(ctx.bed.processes().length).toBe(before);
  });

  test('stops by pid', async () => {
    const bus = await ctx.bed.dbus();
    const identity = { pid: bus.pid, startTime: bus.process.startTime };
    expect(isAlive(identity)).toBe(true);
    await bus.stop();
    expect(isAlive(identity)).toBe(false);
  });
});
