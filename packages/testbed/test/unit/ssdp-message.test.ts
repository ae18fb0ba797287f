import fc from 'fast-check';
import { InvalidArgumentError } from '../../src/errors';
import {
  answersSearch,
  buildMSearch,
  buildSearchResponse,
  M_SEARCH_LINE,
  parseSsdpMessage,
  RESPONSE_OK_LINE,
} from '../../src/ssdp/message';

describe('SSDP messages', () => {
  test('an M-SEARCH is the UDA 1.1 request, CRLF line ends and an empty line last', () => {
    expect(buildMSearch({ st: 'ssdp:all', mx: 2 })).toBe(
      'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 2\r\nST: ssdp:all\r\n\r\n',
    );
  });

  test('a search response carries CACHE-CONTROL, EXT, LOCATION, SERVER, ST and USN', () => {
    const text = buildSearchResponse({
      location: 'http://192.0.2.1/d.xml',
      st: 'upnp:rootdevice',
      usn: 'uuid:1',
    });
    expect(text.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(text.endsWith('\r\n\r\n')).toBe(true);
    expect(parseSsdpMessage(text)).toEqual({
      startLine: RESPONSE_OK_LINE,
      headers: {
        'CACHE-CONTROL': 'max-age=1800',
        EXT: '',
        LOCATION: 'http://192.0.2.1/d.xml',
        SERVER: 'Linux UPnP/1.1 patchpanel-testbed/0.1',
        ST: 'upnp:rootdevice',
        USN: 'uuid:1',
      },
    });
  });

  test('parsing takes LF line ends, any header case and blanks around values; stops at the empty line', () => {
    const message = parseSsdpMessage(
      'M-SEARCH * HTTP/1.1\nhost:239.255.255.250:1900\nSt:  upnp:rootdevice \n\nbody: x',
    );
    expect(message).toEqual({
      startLine: M_SEARCH_LINE,
      headers: { HOST: '239.255.255.250:1900', ST: 'upnp:rootdevice' },
    });
  });

  test('a malformed header line or an empty datagram is not a message', () => {
    expect(parseSsdpMessage('M-SEARCH * HTTP/1.1\r\nno colon here\r\n\r\n')).toBeUndefined();
    expect(parseSsdpMessage('M-SEARCH * HTTP/1.1\r\nbad name: x\r\n\r\n')).toBeUndefined();
    expect(parseSsdpMessage('')).toBeUndefined();
  });

  test('refuses values that would break the message', () => {
    expect(() => buildMSearch({ st: 'ssdp:all', mx: 0 })).toThrow(InvalidArgumentError);
    expect(() => buildMSearch({ st: 'a b', mx: 1 })).toThrow(InvalidArgumentError);
    const location = 'http://x/\r\nST: evil';
    expect(() => buildSearchResponse({ location, st: 'upnp:rootdevice', usn: 'u' })).toThrow(
      InvalidArgumentError,
    );
  });

  test('a device answers ssdp:all and its own ST only', () => {
    expect(answersSearch('ssdp:all', 'upnp:rootdevice')).toBe(true);
    expect(answersSearch('upnp:rootdevice', 'upnp:rootdevice')).toBe(true);
    expect(answersSearch('urn:x', 'upnp:rootdevice')).toBe(false);
    expect(answersSearch(undefined, 'upnp:rootdevice')).toBe(false);
  });

  test('whatever a response is built from parses back to the same headers', () => {
    const token = fc.stringMatching(/^[\x21-\x7e]{1,40}$/);
    const value = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,40}[\x21-\x7e])?$/);
    fc.assert(
      fc.property(value, token, value, fc.nat(86_400), (location, st, usn, maxAgeS) => {
        const parsed = parseSsdpMessage(buildSearchResponse({ location, st, usn, maxAgeS }));
        expect(parsed?.headers).toMatchObject({ LOCATION: location, ST: st, USN: usn });
        expect(parsed?.headers['CACHE-CONTROL']).toBe(`max-age=${maxAgeS}`);
      }),
    );
  });

  test('parsing never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const message = parseSsdpMessage(text);
        if (message !== undefined) expect(message.startLine).not.toBe('');
      }),
    );
  });
});
