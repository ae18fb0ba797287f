import { CONFIG_ENV, DEFAULT_CONFIG, parseConfig } from '../../src/config';
import { AdbProxyError } from '../../src/errors';

const parse = (value: unknown): ReturnType<typeof parseConfig> => parseConfig(JSON.stringify(value));

/** What parsing `text` threw: an AdbProxyError, or a failed expectation. */
function failure(text: string): AdbProxyError {
  try {
    parseConfig(text);
  } catch (error) {
    expect(error).toBeInstanceOf(AdbProxyError);
    return error as AdbProxyError;
  }
  throw new Error(`${text} was accepted`);
}

describe('parseConfig', () => {
  test('the defaults: adbd where ARC++ and ARCVM keep it, no cap, the splice relay', () => {
    expect(DEFAULT_CONFIG).toEqual({
      containerSocket: '/run/arc/adb/adb.sock',
      tcpTarget: { address: '100.115.92.2', port: 5555 },
      connectTimeoutMs: 5_000,
      maxConnections: undefined,
      relay: 'splice',
    });
    expect(CONFIG_ENV).toBe('PP_ADB_PROXY_CONFIG');
  });

  test.each([undefined, '', '{}'])('%j gives the defaults', (text) => {
    expect(parseConfig(text)).toEqual(DEFAULT_CONFIG);
  });

  test('every field is read', () => {
    const config = {
      containerSocket: '/tmp/pp-adb/adb.sock',
      tcpTarget: { address: '10.0.0.2', port: 15555 },
      connectTimeoutMs: 250,
      maxConnections: 3,
      relay: 'stream',
    };
    expect(parse(config)).toEqual(config);
  });

  test('absent keys, also inside tcpTarget, take the defaults', () => {
    expect(parse({ tcpTarget: { address: '10.0.0.2' }, relay: 'stream' })).toEqual({
      ...DEFAULT_CONFIG,
      tcpTarget: { address: '10.0.0.2', port: 5555 },
      relay: 'stream',
    });
    expect(parse({ tcpTarget: { port: 6000 } }).tcpTarget).toEqual({ address: '100.115.92.2', port: 6000 });
  });

  test.each([
    ['the limits', { tcpTarget: { port: 65_535 }, connectTimeoutMs: 600_000, maxConnections: 1_000_000 }],
    ['the smallest values', { tcpTarget: { port: 1 }, connectTimeoutMs: 1, maxConnections: 1 }],
    ['a socket path of 107 bytes', { containerSocket: `/${'s'.repeat(106)}` }],
  ])('accepts %s', (_name, value) => {
    expect(() => parse(value)).not.toThrow();
  });

  test.each([
    ['not JSON', '{relay:'],
    ['an array', '[]'],
    ['null', 'null'],
    ['a number', '5'],
    ['a string', '"splice"'],
  ])('a document that is %s is PP_ERR_ADB_CONFIG', (_name, text) => {
    const error = failure(text);
    expect(error.code).toBe('PP_ERR_ADB_CONFIG');
    expect(error.message).toContain(CONFIG_ENV);
  });

  test.each<[string, Record<string, unknown>]>([
    ['containerSocket', { containerSocket: 'run/adb.sock' }],
    ['containerSocket', { containerSocket: `/${'s'.repeat(107)}` }],
    ['containerSocket', { containerSocket: `/${'é'.repeat(54)}` }],
    ['containerSocket', { containerSocket: '/run/adb\0.sock' }],
    ['containerSocket', { containerSocket: 5 }],
    ['tcpTarget', { tcpTarget: [] }],
    ['tcpTarget', { tcpTarget: '100.115.92.2:5555' }],
    ['tcpTarget.address', { tcpTarget: { address: '::1' } }],
    ['tcpTarget.address', { tcpTarget: { address: 'arc.local' } }],
    ['tcpTarget.address', { tcpTarget: { address: '100.115.92.256' } }],
    ['tcpTarget.address', { tcpTarget: { address: 1684892674 } }],
    ['tcpTarget.port', { tcpTarget: { port: 0 } }],
    ['tcpTarget.port', { tcpTarget: { port: 65_536 } }],
    ['tcpTarget.port', { tcpTarget: { port: 55.5 } }],
    ['tcpTarget.port', { tcpTarget: { port: '5555' } }],
    ['connectTimeoutMs', { connectTimeoutMs: 0 }],
    ['connectTimeoutMs', { connectTimeoutMs: -1 }],
    ['connectTimeoutMs', { connectTimeoutMs: 600_001 }],
    ['connectTimeoutMs', { connectTimeoutMs: '5000' }],
    ['maxConnections', { maxConnections: 0 }],
    ['maxConnections', { maxConnections: 2.5 }],
    ['maxConnections', { maxConnections: 1_000_001 }],
    ['maxConnections', { maxConnections: null }],
    ['relay', { relay: 'tcp' }],
    ['relay', { relay: 'Splice' }],
  ])('an invalid %s is PP_ERR_ADB_CONFIG naming the field: %j', (field, value) => {
    const error = failure(JSON.stringify(value));
    expect(error.code).toBe('PP_ERR_ADB_CONFIG');
    expect(error.message).toContain(`${CONFIG_ENV}: ${field} `);
  });

  test('unknown keys are PP_ERR_ADB_CONFIG, all of them named', () => {
    const error = failure(JSON.stringify({ relay: 'stream', listenPort: 5556, vsock: true }));
    expect(error.code).toBe('PP_ERR_ADB_CONFIG');
    expect(error.message).toContain('listenPort, vsock is not a known key');
  });

  test('an unknown key inside tcpTarget is PP_ERR_ADB_CONFIG too', () => {
    const error = failure(JSON.stringify({ tcpTarget: { address: '10.0.0.2', prot: 5556 } }));
    expect(error.code).toBe('PP_ERR_ADB_CONFIG');
    expect(error.message).toContain('prot');
  });

  test('the JSON error is kept as the cause', () => {
    expect(failure('{').cause).toBeInstanceOf(SyntaxError);
  });
});
