import fc from 'fast-check';
import { InvalidArgumentError } from '../../src/errors';
import { avahiSandboxArgs, renderAvahiConfig } from '../../src/services/avahi';
import {
  avahiBrowseArgv,
  parseAvahiBrowseOutput,
  parseResolvedLine,
  parseTxtField,
  unescapeAvahi,
} from '../../src/services/avahi-browse';

// What avahi-browse 0.8 printed in this bed for a service named 'pp web.1 ;é\x' with TXT records
// path=/, q="a b", v=1;2 (avahi's TXT record holds them in reverse).
const NAME = 'pp\\032web\\.1\\032\\059\\195\\169\\\\x';
const OUTPUT = [
  `+;vb;IPv6;${NAME};_http._tcp;local`,
  `+;vb;IPv4;${NAME};_http._tcp;local`,
  `=;vb;IPv6;${NAME};_http._tcp;local;pp-a.local;fe80::7cee:3aff:feef:7e50;8080;"v=1;2" "q=\\"a b\\"" "path=/"`,
  `=;vb;IPv4;${NAME};_http._tcp;local;pp-a.local;192.0.2.1;8080;"v=1;2" "q=\\"a b\\"" "path=/"`,
  '',
].join('\n');

/** avahi_escape_label: [-_a-zA-Z0-9] as they are, '.' and '\' after a backslash, other bytes as \DDD. */
const escapeLabel = (text: string): string =>
  [...Buffer.from(text)]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      if (/[-_a-zA-Z0-9]/.test(char)) return char;
      if (char === '.' || char === '\\') return `\\${char}`;
      return `\\${String(byte).padStart(3, '0')}`;
    })
    .join('');

/** avahi_string_list_to_string: '"' and '\' after a backslash, bytes outside 32..126 as \DDD. */
const escapeTxt = (text: string): string =>
  [...Buffer.from(text)]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      if (char === '"' || char === '\\') return `\\${char}`;
      return byte < 32 || byte >= 127 ? `\\${String(byte).padStart(3, '0')}` : char;
    })
    .join('');

describe('avahi-browse parsable output', () => {
  test('a real run: only the resolved (=) lines, names and TXT unescaped', () => {
    const results = parseAvahiBrowseOutput(OUTPUT);
    expect(results).toHaveLength(2);
    expect(results[1]).toEqual({
      interface: 'vb',
      protocol: 'IPv4',
      name: 'pp web.1 ;é\\x',
      type: '_http._tcp',
      domain: 'local',
      host: 'pp-a.local',
      address: '192.0.2.1',
      port: 8080,
      txt: ['v=1;2', 'q="a b"', 'path=/'],
    });
    expect(results[0]?.protocol).toBe('IPv6');
    expect(results[0]?.address).toBe('fe80::7cee:3aff:feef:7e50');
  });

  test('an empty TXT field is no strings; other lines and broken ones are skipped', () => {
    expect(parseResolvedLine('=;eth0;IPv4;x;_x._tcp;local;h.local;192.0.2.1;80;')?.txt).toEqual([]);
    expect(parseResolvedLine('=;eth0;IPv4;x;_x._tcp;local;h.local;192.0.2.1;port;""')).toBeUndefined();
    expect(parseResolvedLine('=;eth0;IPX;x;_x._tcp;local;h.local;192.0.2.1;80;""')).toBeUndefined();
    expect(parseResolvedLine('-;eth0;IPv4;x;_x._tcp;local')).toBeUndefined();
    expect(parseAvahiBrowseOutput('Failed to create client object: Daemon not running\n')).toEqual([]);
  });

  test('any name survives avahi_escape_label and back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 63 }), (name) => {
        expect(unescapeAvahi(escapeLabel(name))).toBe(name);
      }),
    );
  });

  test('any TXT strings survive avahi_string_list_to_string and back, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { maxLength: 6 }), (strings) => {
        const field = strings.map((s) => `"${escapeTxt(s)}"`).join(' ');
        expect(parseTxtField(field)).toEqual(strings);
      }),
    );
  });

  test('runs avahi-browse without a shell, with the bus address in its environment', () => {
    expect(avahiBrowseArgv('unix:path=/run/x/socket', '_http._tcp')).toEqual([
      'env',
      'DBUS_SYSTEM_BUS_ADDRESS=unix:path=/run/x/socket',
      ...['avahi-browse', '--resolve', '--terminate', '--parsable', '--no-db-lookup', '_http._tcp'],
    ]);
    for (const bad of ['--all', '_http', 'http._tcp', '_a b._tcp']) {
      expect(() => avahiBrowseArgv('unix:path=/x', bad)).toThrow(InvalidArgumentError);
    }
  });
});

describe('avahi with a bus', () => {
  const bus = {
    address: 'unix:path=/run/pp/ppt00000/bus-1/socket,guid=ab',
    socketPath: '/run/pp/bus-1/socket',
  };

  test('turns D-Bus on only with a bus', () => {
    expect(renderAvahiConfig({ hostName: 'h', interfaces: ['eth0'], bus })).toContain('enable-dbus=yes\n');
    expect(renderAvahiConfig({ hostName: 'h', interfaces: ['eth0'] })).toContain('enable-dbus=no\n');
  });

  test("binds the socket's directory back in after the tmpfs over /run and passes the address", () => {
    const args = avahiSandboxArgs('/run/pp/avahi-x', bus);
    const tmpfs = args.indexOf('/run');
    const bind = args.indexOf('--bind');
    expect(args[tmpfs - 1]).toBe('--tmpfs');
    expect(bind).toBeGreaterThan(tmpfs);
    expect(args.slice(bind, bind + 3)).toEqual(['--bind', '/run/pp/bus-1', '/run/pp/bus-1']);
    const setenv = args.indexOf('--setenv');
    expect(args.slice(setenv, setenv + 3)).toEqual(['--setenv', 'DBUS_SYSTEM_BUS_ADDRESS', bus.address]);
  });

  test('without a bus the sandbox is as before', () => {
    expect(avahiSandboxArgs('/c')).toEqual([
      ...['--dev-bind', '/', '/', '--tmpfs', '/run'],
      ...['--ro-bind', '/c', '/etc/avahi', '--die-with-parent'],
    ]);
  });
});
