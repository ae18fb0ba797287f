import { Variant } from 'dbus-next';
import { fdsInBody, parseSignature } from '../../../src/dbus/message-fds';

describe('fds in a decoded D-Bus body', () => {
  test.each<[string, unknown[], number[]]>([
    ['ay', [Buffer.from('x')], []],
    ['ayh', [Buffer.from('x'), 7], [7]],
    ['ayhh', [Buffer.alloc(0), 7, 8], [7, 8]],
    ['hsh', [3, 'x', 4], [3, 4]],
    ['ah', [[5, 6, 7]], [5, 6, 7]],
    ['(sh)', [['x', 9]], [9]],
    [
      'a(sh)',
      [
        [
          ['a', 10],
          ['b', 11],
        ],
      ],
      [10, 11],
    ],
    ['a{sh}', [{ a: 12, b: 13 }], [12, 13]],
    ['a{hs}', [{ 14: 'a' }], [14]],
    ['v', [new Variant('h', 15)], [15]],
    ['av', [[new Variant('s', 'x'), new Variant('ah', [16, 17])]], [16, 17]],
    ['a(sa{sv})', [[['x', { k: new Variant('h', 18) }]]], [18]],
    ['a{sv}', [{ k: new Variant('(ih)', [1, 19]) }], [19]],
  ])('%s', (signature, body, fds) => {
    expect(fdsInBody(signature, body)).toEqual(fds);
  });

  test('the signature parser nests containers', () => {
    expect(parseSignature('aya{sv}')).toEqual([
      { code: 'a', children: [{ code: 'y', children: [] }] },
      {
        code: 'a',
        children: [
          {
            code: '{',
            children: [
              { code: 's', children: [] },
              { code: 'v', children: [] },
            ],
          },
        ],
      },
    ]);
  });

  test.each(['a', '(s', 'a{s'])('a truncated signature %j is an error, not a hang', (signature) => {
    expect(() => parseSignature(signature)).toThrow(SyntaxError);
  });
});
