import {
  assemble,
  encodeProgram,
  jump,
  jumpAlways,
  label,
  loadAbsolute,
  loadImmediate,
  ret,
} from '../../src/bpf/assembler';
import type { NetioError } from '../../src/errors';

function expectInvalid(run: () => unknown, message: RegExp): void {
  expect(run).toThrow(message);
  try {
    run();
  } catch (error) {
    expect((error as NetioError).code).toBe('PP_ERR_NETIO_INVALID_ARGUMENT');
  }
}

describe('assemble', () => {
  test('resolves labels into relative offsets, omitted labels fall through', () => {
    const program = assemble([
      loadAbsolute('h', 12),
      jump('jeq', 0x86dd, undefined, 'drop'),
      jump('jgt', 5, 'accept', 'drop'),
      label('accept'),
      ret(0xffff),
      label('drop'),
      ret(0),
    ]);
    expect(program).toEqual([
      { code: 0x28, jt: 0, jf: 0, k: 12 },
      { code: 0x15, jt: 0, jf: 2, k: 0x86dd },
      { code: 0x25, jt: 0, jf: 1, k: 5 },
      { code: 0x06, jt: 0, jf: 0, k: 0xffff },
      { code: 0x06, jt: 0, jf: 0, k: 0 },
    ]);
  });

  test('an unconditional jump keeps its offset in k', () => {
    const program = assemble([jumpAlways('end'), loadImmediate(1), label('end'), ret(0)]);
    expect(program[0]).toEqual({ code: 0x05, jt: 0, jf: 0, k: 1 });
  });

  test('stores k as unsigned 32 bits', () => {
    expect(assemble([ret(-1)])[0]!.k).toBe(0xffffffff);
  });

  test('rejects what the kernel verifier would reject', () => {
    expectInvalid(() => assemble([]), /1 to 4096/);
    expectInvalid(() => assemble([loadImmediate(1)]), /end with ret/);
    expectInvalid(() => assemble([jump('jeq', 1, 'nowhere'), ret(0)]), /not defined/);
    expectInvalid(() => assemble([label('a'), label('a'), ret(0)]), /defined twice/);
    expectInvalid(() => assemble([label('top'), ret(1), jump('jeq', 1, 'top'), ret(0)]), /forward/);
    const far = [
      jump('jeq', 1, 'end'),
      ...Array.from({ length: 300 }, () => loadImmediate(0)),
      label('end'),
      ret(0),
    ];
    expectInvalid(() => assemble(far), /exceeds 255/);
    expectInvalid(() => assemble(Array.from({ length: 4097 }, () => ret(0))), /1 to 4096/);
  });
});

describe('encodeProgram', () => {
  test('lays out struct sock_filter in host byte order', () => {
    const bytes = encodeProgram([{ code: 0x0106, jt: 1, jf: 2, k: 0x86dd }]);
    expect([...bytes]).toEqual([0x06, 0x01, 1, 2, 0xdd, 0x86, 0x00, 0x00]);
  });

  test('rejects malformed instructions', () => {
    expectInvalid(() => encodeProgram([{ code: 0x10000, jt: 0, jf: 0, k: 0 }]), /malformed/);
    expectInvalid(() => encodeProgram([{ code: 6, jt: 256, jf: 0, k: 0 }]), /malformed/);
    expectInvalid(() => encodeProgram([{ code: 6, jt: 0, jf: 0, k: 1.5 }]), /malformed/);
  });
});
