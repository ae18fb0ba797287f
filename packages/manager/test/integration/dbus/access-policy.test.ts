import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { integrationSuite } from '@patchpanel/testbed';
import { serviceOnBus } from './service-on-bus';

const execFileAsync = promisify(execFile);

// The bus decides by the caller's uid alone. CAP_DAC_OVERRIDE only lets uid 65534 reach the socket in the
// bed's root-only run directory.
const AS_NOBODY = [
  'setpriv',
  '--reuid=65534',
  '--regid=65534',
  '--clear-groups',
  '--inh-caps=+dac_override',
  '--ambient-caps=+dac_override',
];

/** Asynchronously: this process is also the daemon that has to answer. */
async function run(argv: readonly string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const [command = '', ...args] = argv;
  try {
    const { stdout, stderr } = await execFileAsync(command, args, { timeout: 10_000 });
    return { ok: true, stdout, stderr };
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    return { ok: false, stdout, stderr };
  }
}

integrationSuite('the D-Bus policy file (packaging/dbus/org.chromium.PatchPanel.conf)', (ctx) => {
  const on = serviceOnBus(ctx);
  const dbusSend = (destination: string, path: string, method: string, ...args: string[]) => [
    'dbus-send',
    `--bus=${on.bus.address}`,
    '--print-reply',
    `--dest=${destination}`,
    path,
    method,
    ...args,
  ];
  const callPatchPanel = (member: string) =>
    dbusSend(
      'org.chromium.PatchPanel',
      '/org/chromium/PatchPanel',
      `org.chromium.PatchPanel.${member}`,
      'array:byte:',
    );

  test('loads although the ChromeOS users do not exist here: dbus-daemon skips them with a warning', async () => {
    const users = ['crosvm', 'tlsdate', 'system-proxy', 'dns-proxy', 'shill', 'devbroker', 'chronos'];
    const missing = users.filter((user) => spawnSync('getent', ['passwd', user]).status !== 0);
    const warned = () =>
      missing.every((user) => on.bus.process.output().includes(`Unknown username "${user}"`));
    for (const deadline = Date.now() + 5000; !warned() && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const user of missing) expect(on.bus.process.output()).toContain(`Unknown username "${user}"`);
    expect(await on.client.getDevices()).toEqual([]);
  });

  test('uid 65534 reaches the bus itself: the refusals below are the policy at work', async () => {
    const listNames = dbusSend(
      'org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.ListNames',
    );
    expect(await run([...AS_NOBODY, ...listNames])).toMatchObject({
      ok: true,
      stdout: expect.stringContaining('string "org.chromium.PatchPanel"'),
    });
  });

  test.each(['ConnectNamespace', 'ModifyPortRule', 'GetDevices'])(
    'refuses %s from uid 65534 (no grant) and allows it from root',
    async (member) => {
      const refused = await run([...AS_NOBODY, ...callPatchPanel(member)]);
      expect(refused).toMatchObject({
        ok: false,
        stderr: expect.stringContaining('org.freedesktop.DBus.Error.AccessDenied'),
      });
      expect(on.api.callCount).toBe(0);
      expect(on.sink.lines).toEqual([]);
      const allowed = await run(callPatchPanel(member));
      expect(allowed).toMatchObject({ ok: true, stderr: '' });
      expect(allowed.stdout).toMatch(/^method return .*\n\s+array \[\s*\]\s*$/);
      expect(on.sink.lines.length + on.api.callCount).toBe(1); // it reached the service
    },
  );

  test('uid 65534 may not own the name', async () => {
    const own = dbusSend(
      'org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.RequestName',
      'string:org.chromium.PatchPanel',
      'uint32:4',
    );
    const result = await run([...AS_NOBODY, ...own]);
    expect(result).toMatchObject({ ok: false, stderr: expect.stringContaining('AccessDenied') });
  });
});
