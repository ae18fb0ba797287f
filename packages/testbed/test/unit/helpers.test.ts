import fc from 'fast-check';
import { formatEndpoint } from '../../src/addressing';
import { PeerError } from '../../src/errors';
import { lineSplitter } from '../../src/lines';
import { vethAddArgv } from '../../src/links';
import { OutputTail } from '../../src/output-tail';
import { parseJsonObject, parsePeerResult, peerScriptArgv } from '../../src/peer-script';
import { globalIpv6Addresses } from '../../src/virtual-host';

test('veths are created inside the first namespace with the peer in the second', () => {
  expect(vethAddArgv('ppt1-lan', 'lan0', 'ppt1-host', 'eth0', { aMac: '02:00:00:00:00:01' })).toEqual(
    ['ip', '-n', 'ppt1-lan', 'link', 'add', 'lan0', 'address', '02:00:00:00:00:01', 'type', 'veth'].concat([
      'peer',
      'name',
      'eth0',
      'netns',
      'ppt1-host',
    ]),
  );
});

describe('output tail', () => {
  test('keeps the last lines, joining chunks split mid-line', () => {
    const tail = new OutputTail(2);
    tail.append('one\ntw');
    tail.append('o\nthree\nfour');
    expect(tail.text()).toBe('two\nthree\nfour');
  });
});

describe('peer results', () => {
  test('are the JSON object on the last stdout line', () => {
    expect(parsePeerResult('noise\n{"ok":true,"reply":"x"}\n')).toEqual({ ok: true, reply: 'x' });
  });

  test('anything else is a PeerError', () => {
    expect(() => parsePeerResult('')).toThrow(PeerError);
    expect(() => parsePeerResult('[1]')).toThrow(PeerError);
  });

  test('run from the sources under Jest through esbuild-register', () => {
    const argv = peerScriptArgv('echo-server');
    expect(argv[0]).toBe(process.execPath);
    expect(argv).toContain('-r');
    expect(argv[argv.length - 1]).toMatch(/src\/peers\/echo-server\.ts$/);
  });
});

test('global IPv6 addresses are read from `ip -j addr`, skipping link-local and tentative ones', () => {
  const json = JSON.stringify([
    {
      ifname: 'eth0',
      addr_info: [
        { family: 'inet', local: '198.51.100.2', scope: 'global' },
        { family: 'inet6', local: '2001:db8:1::5', scope: 'global', tentative: true },
        { family: 'inet6', local: '2001:db8:1:0:70:70ff:fe00:2', scope: 'global' },
        { family: 'inet6', local: 'fe80::70:70ff:fe00:2', scope: 'link' },
      ],
    },
  ]);
  expect(globalIpv6Addresses(json)).toEqual(['2001:db8:1:0:70:70ff:fe00:2']);
  expect(globalIpv6Addresses('[]')).toEqual([]);
});

describe('endpoints and lines', () => {
  test('IPv6 endpoints get brackets, IPv4 ones do not', () => {
    expect(formatEndpoint('192.0.2.1', 1900)).toBe('192.0.2.1:1900');
    expect(formatEndpoint('2001:db8::1', 53)).toBe('[2001:db8::1]:53');
    expect(formatEndpoint('fe80::1%va', 5353)).toBe('[fe80::1%va]:5353');
  });

  test('a line splitter hands out whole lines only, however the chunks fall', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[^\n]{0,10}$/), { maxLength: 8 }),
        fc.nat(40),
        (lines, cut) => {
          const text = lines.map((line) => `${line}\n`).join('');
          const seen: string[] = [];
          const split = lineSplitter((line) => seen.push(line));
          split(text.slice(0, cut));
          split(Buffer.from(text.slice(cut)));
          expect(seen).toEqual(lines);
        },
      ),
    );
  });

  test('JSON lines are objects or nothing', () => {
    expect(parseJsonObject('{"from":"192.0.2.2:1900"}')).toEqual({ from: '192.0.2.2:1900' });
    for (const line of ['', 'null', '[1]', '"x"', '{broken']) expect(parseJsonObject(line)).toBeUndefined();
  });
});
