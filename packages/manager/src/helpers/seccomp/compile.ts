import { type BpfInstruction, encodeProgram } from '@patchpanel/netio';
import { SeccompPolicyError } from '../../errors';
import type { SeccompPolicy } from './policy';
import { syscallTables } from './syscall-tables';

export type SeccompArch = keyof typeof syscallTables;

const LD_W_ABS = 0x20;
const JMP_JA = 0x05;
const JMP_JEQ_K = 0x15;
const JMP_JGE_K = 0x35;
const RET_K = 0x06;

export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;
const auditArch: Record<SeccompArch, number> = { x86_64: 0xc000003e, aarch64: 0xc00000b7 };
/** Syscall numbers with this bit set are the x32 ABI on x86_64; a policy never allows them. */
const X32_SYSCALL_BIT = 0x40000000;
const SECCOMP_DATA_NR = 0;
const SECCOMP_DATA_ARCH = 4;
const BPF_MAXINSNS = 4096;

const insn = (code: number, k: number, jt = 0, jf = 0): BpfInstruction => ({ code, jt, jf, k });
const kill = insn(RET_K, SECCOMP_RET_KILL_PROCESS);

/**
 * One section per architecture: load the syscall number, then a `jeq; ret ALLOW` pair per allowed syscall,
 * so every conditional jump is 0 or 1 and the list can grow without hitting the 8-bit jump limit.
 */
function archSection(arch: SeccompArch, syscalls: readonly string[]): BpfInstruction[] {
  const table: Readonly<Record<string, number>> = syscallTables[arch];
  const numbers = syscalls.flatMap((name) => (table[name] === undefined ? [] : [table[name]]));
  const x32Guard = arch === 'x86_64' ? [insn(JMP_JGE_K, X32_SYSCALL_BIT, 0, 1), kill] : [];
  return [
    insn(LD_W_ABS, SECCOMP_DATA_NR),
    ...x32Guard,
    ...numbers.flatMap((nr) => [insn(JMP_JEQ_K, nr, 0, 1), insn(RET_K, SECCOMP_RET_ALLOW)]),
    kill,
  ];
}

/** Compiles an allow-list policy to a program that kills the process on any other syscall or architecture. */
export function compileSeccompPolicyToInstructions(
  policy: SeccompPolicy,
  arches: readonly SeccompArch[] = ['x86_64', 'aarch64'],
): BpfInstruction[] {
  const unknown = policy.syscalls.filter((name) =>
    arches.every((arch) => (syscallTables[arch] as Readonly<Record<string, number>>)[name] === undefined),
  );
  if (unknown.length > 0) throw new SeccompPolicyError(`unknown syscalls: ${unknown.join(', ')}`);

  const sections = arches.map((arch) => archSection(arch, policy.syscalls));
  // Dispatch: per architecture a `jeq arch` that falls into a `ja section` (32-bit offset) or skips it.
  const dispatchLength = 1 + arches.length * 2 + 1;
  const program: BpfInstruction[] = [insn(LD_W_ABS, SECCOMP_DATA_ARCH)];
  let sectionStart = dispatchLength;
  arches.forEach((arch, i) => {
    const jaIndex = program.length + 1;
    program.push(insn(JMP_JEQ_K, auditArch[arch], 0, 1), insn(JMP_JA, sectionStart - (jaIndex + 1)));
    sectionStart += sections[i]!.length;
  });
  program.push(kill, ...sections.flat());
  if (program.length > BPF_MAXINSNS) {
    throw new SeccompPolicyError(
      `the program has ${program.length} instructions, over the kernel's ${BPF_MAXINSNS}`,
    );
  }
  return program;
}

/** The program as `struct sock_filter[]` in host byte order: what `bwrap --seccomp FD` reads. */
export function compileSeccompPolicy(policy: SeccompPolicy, arches?: readonly SeccompArch[]): Uint8Array {
  return encodeProgram(compileSeccompPolicyToInstructions(policy, arches));
}
