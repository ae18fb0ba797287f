import { renderBusConfig } from '../../src/dbus';
import { InvalidArgumentError } from '../../src/errors';
import { renderAvahiConfig, renderServiceFile } from '../../src/services/avahi';
import { renderRadvdConfig } from '../../src/services/radvd';

describe('radvd config', () => {
  test('advertises the prefix on-link and for SLAAC, fast enough for tests', () => {
    expect(renderRadvdConfig({ interface: 'lan0', prefix: '2001:db8:1::/64' })).toBe(
      [
        'interface lan0 {',
        '  AdvSendAdvert on;',
        '  MinRtrAdvInterval 3;',
        '  MaxRtrAdvInterval 10;',
        '  prefix 2001:db8:1::/64 {',
        '    AdvOnLink on;',
        '    AdvAutonomous on;',
        '  };',
        '};',
        '',
      ].join('\n'),
    );
  });

  test('announces DNS servers when given', () => {
    const text = renderRadvdConfig({
      interface: 'lan0',
      prefix: '2001:db8:1::/64',
      rdnss: ['2001:db8:1::53'],
    });
    expect(text).toContain('  RDNSS 2001:db8:1::53 {\n  };\n};');
  });

  test('refuses an interface name that could break the file', () => {
    expect(() => renderRadvdConfig({ interface: 'lan0 {', prefix: '2001:db8:1::/64' })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('avahi config', () => {
  const text = renderAvahiConfig({ hostName: 'pp-lan', interfaces: ['lan0'] });

  test('runs without D-Bus on the allowed interfaces only', () => {
    expect(text).toContain('enable-dbus=no\n');
    expect(text).toContain('allow-interfaces=lan0\n');
    expect(text).toContain('host-name=pp-lan\n');
    expect(text).toContain('use-ipv4=yes\nuse-ipv6=yes\n');
    expect(text).toContain('enable-reflector=no\n');
    expect(text).toContain('enable-wide-area=no\n');
  });

  test('switches families and the reflector', () => {
    const other = renderAvahiConfig({ hostName: 'r', interfaces: ['a', 'b'], ipv6: false, reflector: true });
    expect(other).toContain('use-ipv6=no\n');
    expect(other).toContain('allow-interfaces=a,b\n');
    expect(other).toContain('enable-reflector=yes\n');
  });

  test('refuses a host name that is not one DNS label', () => {
    expect(() => renderAvahiConfig({ hostName: 'a.b', interfaces: ['lan0'] })).toThrow(InvalidArgumentError);
    expect(() => renderAvahiConfig({ hostName: 'x\nenable-dbus=yes', interfaces: [] })).toThrow(
      InvalidArgumentError,
    );
  });

  test('service files escape XML', () => {
    const xml = renderServiceFile({ name: 'A & <B>', type: '_http._tcp', port: 8080, txt: ['path=/"x"'] });
    expect(xml).toContain('<name>A &amp; &lt;B&gt;</name>');
    expect(xml).toContain('<type>_http._tcp</type>\n    <port>8080</port>');
    expect(xml).toContain('<txt-record>path=/&quot;x&quot;</txt-record>');
    expect(() => renderServiceFile({ name: 'x', type: '_x._tcp', port: 0 })).toThrow(InvalidArgumentError);
  });
});

describe('private bus config', () => {
  const text = renderBusConfig({ socketPath: '/run/x/bus.sock', includes: ['/p/a.conf', '/p/b&c.conf'] });

  test('is a system-type bus on the given unix socket', () => {
    expect(text).toContain('<type>system</type>');
    expect(text).toContain('<listen>unix:path=/run/x/bus.sock</listen>');
    expect(text).toContain('<auth>EXTERNAL</auth>');
  });

  test('includes policy files after its defaults, in order, so they win', () => {
    const defaults = text.indexOf('<policy user="root">');
    const first = text.indexOf('<include ignore_missing="no">/p/a.conf</include>');
    const second = text.indexOf('<include ignore_missing="no">/p/b&amp;c.conf</include>');
    expect(defaults).toBeGreaterThan(0);
    expect(first).toBeGreaterThan(defaults);
    expect(second).toBeGreaterThan(first);
  });

  test('lets only root own names by default', () => {
    expect(text).toMatch(/<policy context="default">[\s\S]*<deny own="\*"\/>[\s\S]*<\/policy>/);
    expect(text).toMatch(/<policy user="root">\s*<allow own="\*"\/>/);
  });
});
