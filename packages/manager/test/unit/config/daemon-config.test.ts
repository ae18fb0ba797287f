import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadDaemonConfig, parseDaemonConfig } from '../../../src/config/daemon-config';

describe('daemon configuration', () => {
  test('an empty object gives every default', () => {
    expect(parseDaemonConfig({})).toMatchObject({
      logLevel: 'info',
      helperUser: 'patchpaneld',
      restart: { initialMs: 100, maxMs: 30_000, healthyAfterMs: 60_000 },
      helperReadyTimeoutMs: 10_000,
      firewall: {},
      devices: {},
      connectedNamespaces: { netnsPrefix: 'connected_netns_' },
      lockdownExemptUser: 'chronos',
      adb: { allowed: 'auto' },
    });
    expect(parseDaemonConfig({}).localSources.map((s) => s.user)).toContain('chronos');
  });

  test.each([
    [{ jail: 'chroot' }, /jail/],
    [{ logLevel: 'loud' }, /logLevel/],
    [{ helperUser: 'eth0 -j ACCEPT' }, /helperUser/],
    [{ restart: { initialMs: 0 } }, /restart\.initialMs/],
    [{ restart: { typo: 1 } }, /restart/],
    [{ unknownKey: true }, /unknownKey|Unrecognized/],
    [{ connectedNamespaces: { pool: { base: '100.115.92.300', prefixLength: 30, count: 1 } } }, /pool\.base/],
    [{ connectedNamespaces: { netnsPrefix: '../etc/' } }, /netnsPrefix/],
    [{ devices: { patterns: ['eth0 -j ACCEPT'] } }, /devices\.patterns/],
    [{ localSources: [{ user: 'root', source: 'arc', routeOnVpn: true }] }, /localSources/],
    [{ adb: { allowed: 'yes' } }, /adb\.allowed/],
    // 60 characters, 120 bytes: more than sun_path holds.
    [{ adb: { containerSocket: `/${'é'.repeat(60)}` } }, /adb\.containerSocket/],
    [{ adb: { tcpTarget: { address: '100.115.92.2', port: 0 } } }, /adb\.tcpTarget\.port/],
    [{ adb: { relay: 'zero-copy' } }, /adb\.relay/],
  ])('rejects %j with the path of the problem', (value, message) => {
    expect(() => parseDaemonConfig(value)).toThrow(expect.objectContaining({ code: 'PP_ERR_CONFIG' }));
    expect(() => parseDaemonConfig(value)).toThrow(message);
  });

  test('flags override the file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pp-config-'));
    const file = path.join(dir, 'patchpanel.json');
    await writeFile(file, JSON.stringify({ jail: 'bwrap', logLevel: 'warn', helperUser: '65534:65534' }));
    const config = await loadDaemonConfig([
      '--config',
      file,
      '--jail',
      'none',
      '--bus-address',
      'unix:path=/x',
    ]);
    expect(config).toMatchObject({
      jail: 'none',
      logLevel: 'warn',
      helperUser: '65534:65534',
      busAddress: 'unix:path=/x',
    });
  });

  test.each([[['--frobnicate']], [['--config', '/nonexistent/patchpanel.json']]])(
    'bad flags or files are configuration errors: %j',
    async (argv) => {
      await expect(loadDaemonConfig(argv)).rejects.toMatchObject({ code: 'PP_ERR_CONFIG' });
    },
  );

  test('a file that is not a JSON object is refused', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pp-config-'));
    for (const text of ['[1]', 'nope', '3']) {
      const file = path.join(dir, 'c.json');
      await writeFile(file, text);
      await expect(loadDaemonConfig(['--config', file])).rejects.toMatchObject({ code: 'PP_ERR_CONFIG' });
    }
  });
});
