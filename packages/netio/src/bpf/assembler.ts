import { endianness } from 'node:os';
import { InvalidArgumentError } from '../errors';
import * as op from './opcodes';

/** One sock_filter entry. */
export interface BpfInstruction {
  readonly code: number;
  readonly jt: number;
  readonly jf: number;
  readonly k: number;
}

export type BpfProgram = readonly BpfInstruction[];

/** An assembler step: an instruction whose jumps name labels (omitted: fall through), or a label. */
export type BpfStep =
  | {
      readonly kind: 'insn';
      readonly code: number;
      readonly k: number;
      readonly jt?: string;
      readonly jf?: string;
    }
  | { readonly kind: 'label'; readonly name: string };

export type LoadSize = 'b' | 'h' | 'w';
export type JumpTest = 'jeq' | 'jgt' | 'jge' | 'jset';
export type AluOperation = 'add' | 'sub' | 'mul' | 'div' | 'mod' | 'and' | 'or' | 'xor' | 'lsh' | 'rsh';

const SIZES: Record<LoadSize, number> = { b: op.BPF_B, h: op.BPF_H, w: op.BPF_W };
const TESTS: Record<JumpTest, number> = {
  jeq: op.BPF_JEQ,
  jgt: op.BPF_JGT,
  jge: op.BPF_JGE,
  jset: op.BPF_JSET,
};
const ALU: Record<AluOperation, number> = {
  add: op.BPF_ADD,
  sub: op.BPF_SUB,
  mul: op.BPF_MUL,
  div: op.BPF_DIV,
  mod: op.BPF_MOD,
  and: op.BPF_AND,
  or: op.BPF_OR,
  xor: op.BPF_XOR,
  lsh: op.BPF_LSH,
  rsh: op.BPF_RSH,
};

const insn = (code: number, k = 0, jt?: string, jf?: string): BpfStep => ({ kind: 'insn', code, k, jt, jf });

/** A = P[offset] (size b/h/w, network byte order). */
export const loadAbsolute = (size: LoadSize, offset: number) =>
  insn(op.BPF_LD | SIZES[size] | op.BPF_ABS, offset);
/** A = P[X + offset]. */
export const loadIndirect = (size: LoadSize, offset: number) =>
  insn(op.BPF_LD | SIZES[size] | op.BPF_IND, offset);
/** X = 4 * (P[offset] & 0x0f): the IPv4 header length. */
export const loadHeaderLength = (offset: number) => insn(op.BPF_LDX | op.BPF_B | op.BPF_MSH, offset);
export const loadImmediate = (k: number) => insn(op.BPF_LD | op.BPF_IMM, k);
export const loadLength = () => insn(op.BPF_LD | op.BPF_W | op.BPF_LEN);
/** A = A <operation> k. */
export const alu = (operation: AluOperation, k: number) => insn(op.BPF_ALU | ALU[operation] | op.BPF_K, k);
/** if (A <test> k) goto whenTrue else goto whenFalse; an omitted label falls through. */
export const jump = (test: JumpTest, k: number, whenTrue?: string, whenFalse?: string) =>
  insn(op.BPF_JMP | TESTS[test] | op.BPF_K, k, whenTrue, whenFalse);
export const jumpAlways = (target: string): BpfStep => insn(op.BPF_JMP | op.BPF_JA, 0, target);
/** Accept `k` bytes of the packet (0 drops it). */
export const ret = (k: number) => insn(op.BPF_RET | op.BPF_K, k);
/** Accept as many bytes as the accumulator says. */
export const retA = () => insn(op.BPF_RET | op.BPF_A);
/** M[slot] = A, and A = M[slot]. */
export const store = (slot: number) => insn(op.BPF_ST, slot);
export const loadMemory = (slot: number) => insn(op.BPF_LD | op.BPF_MEM, slot);
/** X = A, and A = X. */
export const tax = () => insn(op.BPF_MISC | op.BPF_TAX);
export const txa = () => insn(op.BPF_MISC | op.BPF_TXA);
export const label = (name: string): BpfStep => ({ kind: 'label', name });

/** Resolves labels into relative jump offsets and checks what the kernel's verifier would reject. */
export function assemble(steps: readonly BpfStep[]): BpfProgram {
  const labels = new Map<string, number>();
  let count = 0;
  for (const step of steps) {
    if (step.kind === 'insn') {
      count += 1;
    } else if (labels.has(step.name)) {
      throw new InvalidArgumentError(`BPF label '${step.name}' defined twice`);
    } else {
      labels.set(step.name, count);
    }
  }
  const program: BpfInstruction[] = [];
  for (const step of steps) {
    if (step.kind === 'label') continue;
    const pc = program.length;
    const isJa = step.code === (op.BPF_JMP | op.BPF_JA);
    const offset = (target: string | undefined) => resolve(labels, target, pc, count);
    program.push({
      code: step.code,
      jt: isJa ? 0 : checkConditional(offset(step.jt)),
      jf: isJa ? 0 : checkConditional(offset(step.jf)),
      k: isJa ? offset(step.jt) : step.k >>> 0,
    });
  }
  checkProgram(program);
  return program;
}

function resolve(labels: Map<string, number>, target: string | undefined, pc: number, count: number): number {
  if (target === undefined) return 0;
  const at = labels.get(target);
  if (at === undefined) throw new InvalidArgumentError(`BPF label '${target}' is not defined`);
  if (at <= pc || at >= count) throw new InvalidArgumentError(`BPF jump to '${target}' must go forward`);
  return at - pc - 1;
}

function checkConditional(offset: number): number {
  if (offset > 0xff) throw new InvalidArgumentError(`BPF conditional jump of ${offset} exceeds 255`);
  return offset;
}

function checkProgram(program: BpfProgram): void {
  if (program.length === 0 || program.length > op.BPF_MAX_INSTRUCTIONS) {
    throw new InvalidArgumentError(`a BPF program has 1 to ${op.BPF_MAX_INSTRUCTIONS} instructions`);
  }
  for (const { code, jt, jf, k } of program) {
    const valid = [code <= 0xffff, jt <= 0xff, jf <= 0xff, k <= 0xffffffff].every(Boolean);
    if (!valid || ![code, jt, jf, k].every((field) => Number.isInteger(field) && field >= 0)) {
      throw new InvalidArgumentError(`malformed BPF instruction ${JSON.stringify({ code, jt, jf, k })}`);
    }
  }
  const last = program[program.length - 1]!;
  if (op.bpfClass(last.code) !== op.BPF_RET)
    throw new InvalidArgumentError('a BPF program must end with ret');
}

/** struct sock_filter[] in host byte order, as SO_ATTACH_FILTER takes it. */
export function encodeProgram(program: BpfProgram): Buffer {
  checkProgram(program);
  const little = endianness() === 'LE';
  const buffer = Buffer.alloc(program.length * 8);
  program.forEach((instruction, index) => {
    const at = index * 8;
    if (little) {
      buffer.writeUInt16LE(instruction.code, at);
      buffer.writeUInt32LE(instruction.k >>> 0, at + 4);
    } else {
      buffer.writeUInt16BE(instruction.code, at);
      buffer.writeUInt32BE(instruction.k >>> 0, at + 4);
    }
    buffer.writeUInt8(instruction.jt, at + 2);
    buffer.writeUInt8(instruction.jf, at + 3);
  });
  return buffer;
}
