import { type BpfInstruction, encodeProgram } from '@patchpanel/netio';
import {
  compileSeccompPolicyToInstructions,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_KILL_PROCESS,
} from '../../../src/helpers/seccomp/compile';
import { parseSeccompPolicy, renderSeccompPolicy } from '../../../src/helpers/seccomp/policy';
import { syscallTables } from '../../../src/helpers/seccomp/syscall-tables';

const X86_64 = 0xc000003e;
const AARCH64 = 0xc00000b7;
const KILL = SECCOMP_RET_KILL_PROCESS;
const ALLOW = SECCOMP_RET_ALLOW;

/** Runs a seccomp program over `struct seccomp_data` the way the kernel does (only the opcodes we emit). */
function evaluate(program: readonly BpfInstruction[], arch: number, nr: number): number {
  const data = [nr, arch];
  let a = 0;
  for (let pc = 0; pc < program.length; pc++) {
    const { code, jt, jf, k } = program[pc]!;
    if (code === 0x20) a = data[k / 4]!;
    else if (code === 0x05) pc += k;
    else if (code === 0x15) pc += a === k ? jt : jf;
    else if (code === 0x35) pc += a >= k ? jt : jf;
    else if (code === 0x06) return k;
    else throw new Error(`unexpected opcode ${code}`);
  }
  throw new Error('fell off the end of the program');
}

describe('parseSeccompPolicy', () => {
  test('reads allow rules, skips comments and blank lines', () => {
    const policy = parseSeccompPolicy('# helper\nread: 1\n\n  write : 1  # trailing\n');
    expect(policy.syscalls).toEqual(['read', 'write']);
  });

  test.each([
    ['read', /expected "<syscall>: 1"/],
    ['read: arg0 == 1', /only unconditional rules/],
    ['read: return 1', /only unconditional rules/],
    ['Read!: 1', /is not a syscall name/],
    ['read: 1\nread: 1', /listed twice/],
  ])('rejects %j with a line number', (text, message) => {
    expect(() => parseSeccompPolicy(text, 'x.policy')).toThrow(message);
    expect(() => parseSeccompPolicy(text, 'x.policy')).toThrow(/x\.policy:\d/);
  });

  test('render then parse is the identity on the set, sorted', () => {
    const text = renderSeccompPolicy({ syscalls: ['write', 'read'] }, ['generated']);
    expect(text).toBe('# generated\nread: 1\nwrite: 1\n');
    expect(parseSeccompPolicy(text).syscalls).toEqual(['read', 'write']);
  });
});

describe('compileSeccompPolicy', () => {
  test('x86_64 only: the hand-checked program', () => {
    const program = compileSeccompPolicyToInstructions({ syscalls: ['read', 'write'] }, ['x86_64']);
    expect(program).toEqual([
      { code: 0x20, jt: 0, jf: 0, k: 4 }, // ld arch
      { code: 0x15, jt: 0, jf: 1, k: X86_64 }, // jeq x86_64
      { code: 0x05, jt: 0, jf: 0, k: 1 }, // ja -> 4
      { code: 0x06, jt: 0, jf: 0, k: KILL }, // other arch
      { code: 0x20, jt: 0, jf: 0, k: 0 }, // ld nr
      { code: 0x35, jt: 0, jf: 1, k: 0x40000000 }, // x32?
      { code: 0x06, jt: 0, jf: 0, k: KILL },
      { code: 0x15, jt: 0, jf: 1, k: 0 }, // read
      { code: 0x06, jt: 0, jf: 0, k: ALLOW },
      { code: 0x15, jt: 0, jf: 1, k: 1 }, // write
      { code: 0x06, jt: 0, jf: 0, k: ALLOW },
      { code: 0x06, jt: 0, jf: 0, k: KILL },
    ]);
  });

  test('two architectures: each section uses its own numbers', () => {
    const program = compileSeccompPolicyToInstructions({ syscalls: ['openat', 'socket'] });
    expect(evaluate(program, X86_64, syscallTables.x86_64.openat)).toBe(ALLOW);
    expect(evaluate(program, X86_64, syscallTables.x86_64.socket)).toBe(ALLOW);
    expect(evaluate(program, AARCH64, syscallTables.aarch64.openat)).toBe(ALLOW);
    expect(evaluate(program, AARCH64, syscallTables.aarch64.socket)).toBe(ALLOW);
    // aarch64's openat number (56) is x86_64's clone: not allowed there.
    expect(evaluate(program, X86_64, syscallTables.aarch64.openat)).toBe(KILL);
    expect(evaluate(program, X86_64, syscallTables.x86_64.mkdir)).toBe(KILL);
    expect(evaluate(program, AARCH64, syscallTables.aarch64.mkdirat)).toBe(KILL);
  });

  test('kills other architectures and the x32 ABI', () => {
    const program = compileSeccompPolicyToInstructions({ syscalls: ['read'] });
    expect(evaluate(program, 0x40000003 /* i386 */, 0)).toBe(KILL);
    expect(evaluate(program, X86_64, 0x40000000 | syscallTables.x86_64.read)).toBe(KILL);
  });

  test('a syscall that exists on only one architecture is allowed there and ignored elsewhere', () => {
    const program = compileSeccompPolicyToInstructions({ syscalls: ['open'] });
    expect(evaluate(program, X86_64, syscallTables.x86_64.open)).toBe(ALLOW);
    expect(program.filter((i) => i.code === 0x06 && i.k === ALLOW)).toHaveLength(1);
  });

  test('rejects names no architecture knows', () => {
    expect(() => compileSeccompPolicyToInstructions({ syscalls: ['read', 'frobnicate'] })).toThrow(
      expect.objectContaining({
        code: 'PP_ERR_SECCOMP_POLICY',
        message: expect.stringMatching(/frobnicate/),
      }),
    );
  });

  test('a policy of every x86_64 syscall still fits the kernel limit and allows each', () => {
    const syscalls = Object.keys(syscallTables.x86_64);
    const program = compileSeccompPolicyToInstructions({ syscalls });
    expect(program.length).toBeLessThanOrEqual(4096);
    for (const nr of Object.values(syscallTables.x86_64)) expect(evaluate(program, X86_64, nr)).toBe(ALLOW);
  });

  test('encodes struct sock_filter in host (little-endian) order', () => {
    const bytes = encodeProgram([
      { code: 0x15, jt: 2, jf: 3, k: X86_64 },
      { code: 0x06, jt: 0, jf: 0, k: ALLOW },
    ]);
    expect([...bytes.subarray(0, 8)]).toEqual([0x15, 0x00, 0x02, 0x03, 0x3e, 0x00, 0x00, 0xc0]);
  });
});
