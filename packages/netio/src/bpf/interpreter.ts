import { InvalidArgumentError } from '../errors';
import type { BpfProgram } from './assembler';
import * as op from './opcodes';

/**
 * Runs a classic BPF program over a packet the way the kernel's socket filter does, returning how many bytes
 * it accepts (0: dropped). Loads past the end of the packet and division by zero drop the packet. Pure: for
 * tests of filters without root. Ancillary loads (negative offsets) are not supported.
 */
export function runBpf(program: BpfProgram, packet: Uint8Array): number {
  const machine = { a: 0, x: 0, memory: new Uint32Array(op.BPF_MEMWORDS) };
  let pc = 0;
  while (pc < program.length) {
    const { code, jt, jf, k } = program[pc]!;
    pc += 1;
    switch (op.bpfClass(code)) {
      case op.BPF_LD:
      case op.BPF_LDX: {
        const value = load(code, k, machine, packet);
        if (value === undefined) return 0;
        if (op.bpfClass(code) === op.BPF_LD) machine.a = value;
        else machine.x = value;
        break;
      }
      case op.BPF_ST:
      case op.BPF_STX:
        machine.memory[memorySlot(k)] = op.bpfClass(code) === op.BPF_ST ? machine.a : machine.x;
        break;
      case op.BPF_ALU: {
        const result = alu(code, machine.a, op.bpfSource(code) === op.BPF_X ? machine.x : k);
        if (result === undefined) return 0;
        machine.a = result;
        break;
      }
      case op.BPF_JMP:
        pc += jumpOffset(code, jt, jf, k, machine.a, machine.x);
        break;
      case op.BPF_RET:
        return returnValue(code, k, machine.a);
      default:
        if (code === (op.BPF_MISC | op.BPF_TAX)) machine.x = machine.a;
        else if (code === (op.BPF_MISC | op.BPF_TXA)) machine.a = machine.x;
        else throw new InvalidArgumentError(`unsupported BPF opcode 0x${code.toString(16)}`);
    }
  }
  throw new InvalidArgumentError('BPF program ran past its end');
}

interface Machine {
  a: number;
  x: number;
  memory: Uint32Array;
}

/** The value of a load, or undefined when it reads outside the packet. */
function load(code: number, k: number, machine: Machine, packet: Uint8Array): number | undefined {
  const mode = op.bpfMode(code);
  switch (mode) {
    case op.BPF_IMM:
      return k >>> 0;
    case op.BPF_LEN:
      return packet.length;
    case op.BPF_MEM:
      return machine.memory[memorySlot(k)];
    case op.BPF_ABS:
      return readPacket(packet, k, op.bpfSize(code));
    case op.BPF_IND:
      return readPacket(packet, (machine.x + k) >>> 0, op.bpfSize(code));
    case op.BPF_MSH: {
      const byte = readPacket(packet, k, op.BPF_B);
      return byte === undefined ? undefined : (byte & 0x0f) * 4;
    }
    default:
      throw new InvalidArgumentError(`unsupported BPF load mode 0x${mode.toString(16)}`);
  }
}

function readPacket(packet: Uint8Array, offset: number, size: number): number | undefined {
  if (offset >= 0x80000000) throw new InvalidArgumentError('ancillary BPF loads are not supported');
  const width = size === op.BPF_B ? 1 : size === op.BPF_H ? 2 : 4;
  if (offset + width > packet.length) return undefined;
  let value = 0;
  for (let i = 0; i < width; i += 1) value = value * 256 + packet[offset + i]!;
  return value;
}

function returnValue(code: number, k: number, a: number): number {
  const source = op.bpfReturnSource(code);
  if (source === op.BPF_K) return k >>> 0;
  if (source === op.BPF_A) return a >>> 0;
  throw new InvalidArgumentError(`unsupported BPF return opcode 0x${code.toString(16)}`);
}

function memorySlot(k: number): number {
  if (k >= op.BPF_MEMWORDS) throw new InvalidArgumentError(`BPF memory slot ${k} out of range`);
  return k;
}

function alu(code: number, a: number, operand: number): number | undefined {
  const b = operand >>> 0;
  switch (op.bpfOp(code)) {
    case op.BPF_ADD:
      return (a + b) >>> 0;
    case op.BPF_SUB:
      return (a - b) >>> 0;
    case op.BPF_MUL:
      return Math.imul(a, b) >>> 0;
    case op.BPF_DIV:
      return b === 0 ? undefined : Math.floor(a / b) >>> 0;
    case op.BPF_MOD:
      return b === 0 ? undefined : (a % b) >>> 0;
    case op.BPF_OR:
      return (a | b) >>> 0;
    case op.BPF_AND:
      return (a & b) >>> 0;
    case op.BPF_XOR:
      return (a ^ b) >>> 0;
    case op.BPF_LSH:
      return b >= 32 ? 0 : (a << b) >>> 0;
    case op.BPF_RSH:
      return b >= 32 ? 0 : a >>> b;
    case op.BPF_NEG:
      return -a >>> 0;
    default:
      throw new InvalidArgumentError(`unsupported BPF ALU opcode 0x${code.toString(16)}`);
  }
}

function jumpOffset(code: number, jt: number, jf: number, k: number, a: number, x: number): number {
  const operand = (op.bpfSource(code) === op.BPF_X ? x : k) >>> 0;
  switch (op.bpfOp(code)) {
    case op.BPF_JA:
      return k >>> 0;
    case op.BPF_JEQ:
      return a === operand ? jt : jf;
    case op.BPF_JGT:
      return a > operand ? jt : jf;
    case op.BPF_JGE:
      return a >= operand ? jt : jf;
    case op.BPF_JSET:
      return (a & operand) !== 0 ? jt : jf;
    default:
      throw new InvalidArgumentError(`unsupported BPF jump opcode 0x${code.toString(16)}`);
  }
}
