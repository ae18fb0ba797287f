import { type AdbProxyConfig, DEFAULT_CONFIG } from '../../src/config';
import { describeTarget, targetsFor } from '../../src/targets';

const config: AdbProxyConfig = {
  ...DEFAULT_CONFIG,
  containerSocket: '/tmp/pp-adb/adb.sock',
  tcpTarget: { address: '10.0.0.2', port: 15555 },
};

describe('targetsFor', () => {
  test("ARC++: the container's Unix socket first, then TCP to the guest", () => {
    expect(targetsFor({ kind: 'arc', pid: 4242 }, config)).toEqual([
      { kind: 'unix', path: '/tmp/pp-adb/adb.sock' },
      { kind: 'tcp', address: '10.0.0.2', port: 15555 },
    ]);
  });

  test('ARCVM: TCP to the guest only (no vsock), whatever its cid', () => {
    for (const cid of [33, undefined]) {
      expect(targetsFor({ kind: 'arcvm', cid }, config)).toEqual([
        { kind: 'tcp', address: '10.0.0.2', port: 15555 },
      ]);
    }
  });

  test('the defaults reach adbd where the original does', () => {
    expect(targetsFor({ kind: 'arc', pid: undefined }, DEFAULT_CONFIG).map(describeTarget)).toEqual([
      'unix:/run/arc/adb/adb.sock',
      '100.115.92.2:5555',
    ]);
  });

  test('the targets are fresh objects: changing one does not change the config', () => {
    const [tcp] = targetsFor({ kind: 'arcvm', cid: 33 }, config);
    (tcp as { port: number }).port = 1;
    expect(config.tcpTarget.port).toBe(15555);
  });
});

describe('describeTarget', () => {
  test.each([
    [{ kind: 'unix', path: '/run/arc/adb/adb.sock' } as const, 'unix:/run/arc/adb/adb.sock'],
    [{ kind: 'tcp', address: '100.115.92.2', port: 5555 } as const, '100.115.92.2:5555'],
  ])('%j is written %s', (target, text) => {
    expect(describeTarget(target)).toBe(text);
  });
});
