import { InvalidArgumentError } from '../../src/errors';
import {
  assertInterfaceName,
  assertPort,
  netnsName,
  PREFIX_PATTERN,
  pickPrefix,
  prefixFromBytes,
  prefixOfNetns,
} from '../../src/names';

describe('run prefixes', () => {
  test('are ppt + 5 hex chars taken from the random bytes', () => {
    expect(prefixFromBytes(new Uint8Array([0x3f, 0xa2, 0xc9]))).toBe('ppt3fa2c');
    expect(prefixFromBytes(new Uint8Array([0, 0, 0]))).toBe('ppt00000');
    expect(PREFIX_PATTERN.test(prefixFromBytes(new Uint8Array([0xff, 0xff, 0xff])))).toBe(true);
  });

  test('leave room for a label in a 15-char interface-like name', () => {
    expect(prefixFromBytes(new Uint8Array([1, 2, 3])).length).toBe(8);
  });

  test('skip prefixes that a live or leftover run uses', () => {
    const draws = [
      [0x11, 0x11, 0x10],
      [0x22, 0x22, 0x20],
    ];
    const random = (): Uint8Array => new Uint8Array(draws.shift() ?? [0x33, 0x33, 0x30]);
    expect(pickPrefix(new Set(['ppt11111']), random)).toBe('ppt22222');
  });

  test('give up with a coded error when every draw is taken', () => {
    const random = (): Uint8Array => new Uint8Array([0xab, 0xcd, 0xe0]);
    expect(() => pickPrefix(new Set(['pptabcde']), random)).toThrow(InvalidArgumentError);
  });

  test('differ between calls with the real random source', () => {
    const seen = new Set(Array.from({ length: 50 }, () => pickPrefix(new Set())));
    expect(seen.size).toBeGreaterThan(45);
  });
});

describe('namespace names', () => {
  test('join prefix and label', () => {
    expect(netnsName('ppt3fa2c', 'lan')).toBe('ppt3fa2c-lan');
  });

  test.each(['', 'Lan', 'a b', '-x', 'x/y', 'a'.repeat(21)])('reject the label %j', (label) => {
    expect(() => netnsName('ppt3fa2c', label)).toThrow(InvalidArgumentError);
  });

  test('are recognised as owned only with a bed prefix', () => {
    expect(prefixOfNetns('ppt3fa2c-lan')).toBe('ppt3fa2c');
    expect(prefixOfNetns('ppx-lan')).toBeUndefined();
    expect(prefixOfNetns('ppt3fa2-lan')).toBeUndefined();
    expect(prefixOfNetns('ppt3fa2cc-lan')).toBeUndefined();
    expect(prefixOfNetns('ppt3fa2c')).toBeUndefined();
  });
});

describe('argument checks', () => {
  test('interface names must fit IFNAMSIZ and be plain', () => {
    expect(() => assertInterfaceName('eth0')).not.toThrow();
    expect(() => assertInterfaceName('a'.repeat(15))).not.toThrow();
    for (const bad of ['', 'a'.repeat(16), 'a/b', 'a b', '.', '..']) {
      expect(() => assertInterfaceName(bad)).toThrow(InvalidArgumentError);
    }
  });

  test('ports are 1..65535', () => {
    expect(() => assertPort(1)).not.toThrow();
    expect(() => assertPort(65535)).not.toThrow();
    for (const bad of [0, 65536, 1.5, -1]) expect(() => assertPort(bad)).toThrow(InvalidArgumentError);
  });
});
