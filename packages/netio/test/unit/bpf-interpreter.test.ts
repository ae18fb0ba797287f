import fc from 'fast-check';
import {
  type AluOperation,
  alu,
  assemble,
  type BpfStep,
  jump,
  label,
  loadAbsolute,
  loadHeaderLength,
  loadImmediate,
  loadIndirect,
  loadLength,
  loadMemory,
  ret,
  retA,
  store,
  tax,
  txa,
} from '../../src/bpf/assembler';
import { runBpf } from '../../src/bpf/interpreter';

const packet = Uint8Array.from([0x45, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]);

/** Runs steps, then returns the accumulator. */
const evaluate = (...steps: BpfStep[]) => runBpf(assemble([...steps, retA()]), packet);

describe('runBpf', () => {
  test('loads bytes, halfwords and words in network order', () => {
    expect(evaluate(loadAbsolute('b', 1))).toBe(0x01);
    expect(evaluate(loadAbsolute('h', 2))).toBe(0x0203);
    expect(evaluate(loadAbsolute('w', 4))).toBe(0x04050607);
    expect(evaluate(loadLength())).toBe(8);
    expect(evaluate(loadImmediate(0xdeadbeef))).toBe(0xdeadbeef);
  });

  test('the MSH load computes an IPv4 header length into X, and indirect loads add X', () => {
    expect(evaluate(loadHeaderLength(0), txa())).toBe(20);
    expect(evaluate(loadImmediate(2), tax(), loadIndirect('h', 4))).toBe(0x0607);
  });

  test('a load past the end drops the packet', () => {
    expect(runBpf(assemble([loadAbsolute('w', 5), ret(1)]), packet)).toBe(0);
    expect(runBpf(assemble([loadAbsolute('b', 8), ret(1)]), packet)).toBe(0);
    expect(runBpf(assemble([loadHeaderLength(0), loadIndirect('b', 0), ret(1)]), packet)).toBe(0);
  });

  test.each<[AluOperation, number, number, number]>([
    ['add', 0xffffffff, 2, 1],
    ['sub', 1, 2, 0xffffffff],
    ['mul', 0x10000, 0x10000, 0],
    ['div', 7, 2, 3],
    ['mod', 7, 4, 3],
    ['and', 0xf0f0, 0xff00, 0xf000],
    ['or', 0xf0, 0x0f, 0xff],
    ['xor', 0xff, 0x0f, 0xf0],
    ['lsh', 1, 31, 0x80000000],
    ['rsh', 0x80000000, 31, 1],
  ])('alu %s', (operation, a, k, expected) => {
    expect(evaluate(loadImmediate(a), alu(operation, k))).toBe(expected);
  });

  test('division by zero drops the packet', () => {
    expect(evaluate(loadImmediate(5), alu('div', 0))).toBe(0);
    expect(evaluate(loadImmediate(5), alu('mod', 0))).toBe(0);
  });

  test.each([
    ['jeq', 5, 5, 1],
    ['jeq', 5, 6, 2],
    ['jgt', 6, 5, 1],
    ['jgt', 5, 5, 2],
    ['jge', 5, 5, 1],
    ['jge', 4, 5, 2],
    ['jset', 0b1010, 0b0010, 1],
    ['jset', 0b1010, 0b0101, 2],
  ] as const)('%s with A=%d k=%d takes branch %d', (test, a, k, branch) => {
    const program = assemble([
      loadImmediate(a),
      jump(test, k, 'one', 'two'),
      label('one'),
      ret(1),
      label('two'),
      ret(2),
    ]);
    expect(runBpf(program, packet)).toBe(branch);
  });

  test('scratch memory round-trips', () => {
    expect(evaluate(loadImmediate(42), store(3), loadImmediate(0), loadMemory(3))).toBe(42);
  });

  test('rejects programs the kernel would not run', () => {
    expect(() => runBpf([{ code: 0x00, jt: 0, jf: 0, k: 0 }], packet)).toThrow(/past its end/);
    expect(() => runBpf([{ code: 0xff, jt: 0, jf: 0, k: 0 }], packet)).toThrow(/unsupported/);
    expect(() => evaluate(store(16))).toThrow(/slot/);
    expect(() => runBpf(assemble([loadAbsolute('b', 0xfffff004), ret(1)]), packet)).toThrow(/ancillary/);
  });

  test('a valid program never throws on arbitrary packets and returns one of its ret values', () => {
    const program = assemble([
      loadHeaderLength(0),
      loadIndirect('h', 2),
      jump('jge', 1024, undefined, 'drop'),
      ret(0xffff),
      label('drop'),
      ret(0),
    ]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => [0, 0xffff].includes(runBpf(program, bytes))),
    );
  });
});
