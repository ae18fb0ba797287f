import { parseIp } from '../../../../addressing/ip-text';
import { FirewallRuleError } from '../../errors';
import type { CtState, Family, FamilyScope, Match, Rule, Table, Target } from '../../model';
import type { Cidr, IfnamePattern, IpAddress } from '../../values';
import { nftChainName } from '../names';
import { attr, be16Value, be32, hostU32, nested, str, u8 } from './attributes';

/**
 * Typed rules to nf_tables expressions, the bytecode nft 1.0.6 makes of the same rule text (render-rule.ts):
 * `nft list` shows a rule written either way alike (tested). Everything goes through register 1, the port of
 * a DNAT through register 2; verdicts go to the verdict register.
 */

const NFTA_LIST_ELEM = 1;
const NFTA_EXPR_NAME = 1;
const NFTA_EXPR_DATA = 2;
const NFTA_DATA_VALUE = 1;
const NFTA_DATA_VERDICT = 2;
const NFTA_VERDICT_CODE = 1;
const NFTA_VERDICT_CHAIN = 2;

const REG_VERDICT = 0;
const REG_1 = 1;
const REG_2 = 2;

const META = { dreg: 1, key: 2, sreg: 3 } as const;
const META_KEY = { mark: 3, iifname: 6, oifname: 7, skuid: 10, nfproto: 15, l4proto: 16 } as const;
const CMP = { sreg: 1, op: 2, data: 3 } as const;
const CMP_EQ = 0;
const CMP_NEQ = 1;
const PAYLOAD = { dreg: 1, base: 2, offset: 3, len: 4 } as const;
const NETWORK_HEADER = 1;
const TRANSPORT_HEADER = 2;
const BITWISE = { sreg: 1, dreg: 2, len: 3, mask: 4, xor: 5 } as const;
const IMMEDIATE = { dreg: 1, data: 2 } as const;
const CT = { dreg: 1, key: 2, sreg: 4 } as const;
const CT_KEY = { state: 0, mark: 3 } as const;
const NAT = { type: 1, family: 2, addrMin: 3, addrMax: 4, protoMin: 5, protoMax: 6, flags: 7 } as const;
const NAT_TYPE = { snat: 0, dnat: 1 } as const;
const NAT_RANGE_MAP_IPS = 1;
const NAT_RANGE_PROTO_SPECIFIED = 2;
const REJECT = { type: 1, code: 2 } as const;

export const VERDICT = { drop: 0, accept: 1, jump: -3, return: -5 } as const;
const NFPROTO: Readonly<Record<Family, number>> = { ipv4: 2, ipv6: 10 };
const IPPROTO = { tcp: 6, udp: 17 } as const;
/** The kernel's conntrack state bits (NF_CT_STATE_*_BIT). */
const CT_STATE_BIT: Readonly<Record<CtState, number>> = {
  INVALID: 1,
  ESTABLISHED: 2,
  RELATED: 4,
  NEW: 8,
  UNTRACKED: 64,
};
const IFNAMSIZ = 16;

interface Expression {
  readonly name: string;
  readonly attrs: readonly Buffer[];
}

const expression = (name: string, ...attrs: Buffer[]): Expression => ({ name, attrs });
const value = (type: number, data: Uint8Array) => nested(type, [attr(NFTA_DATA_VALUE, data)]);

export function verdictData(type: number, code: number, chain?: string): Buffer {
  const parts = [be32(NFTA_VERDICT_CODE, code)];
  if (chain !== undefined) parts.push(str(NFTA_VERDICT_CHAIN, chain));
  return nested(type, [nested(NFTA_DATA_VERDICT, parts)]);
}

const loadMeta = (key: number) => expression('meta', be32(META.dreg, REG_1), be32(META.key, key));
const setMeta = (key: number) => expression('meta', be32(META.key, key), be32(META.sreg, REG_1));
const loadCt = (key: number) => expression('ct', be32(CT.dreg, REG_1), be32(CT.key, key));
const setCt = (key: number) => expression('ct', be32(CT.key, key), be32(CT.sreg, REG_1));
const compare = (op: number, data: Uint8Array) =>
  expression('cmp', be32(CMP.sreg, REG_1), be32(CMP.op, op), value(CMP.data, data));
const load = (base: number, offset: number, len: number) =>
  expression(
    'payload',
    be32(PAYLOAD.dreg, REG_1),
    be32(PAYLOAD.base, base),
    be32(PAYLOAD.offset, offset),
    be32(PAYLOAD.len, len),
  );
const bitwise = (mask: Uint8Array, xor: Uint8Array) =>
  expression(
    'bitwise',
    be32(BITWISE.sreg, REG_1),
    be32(BITWISE.dreg, REG_1),
    be32(BITWISE.len, mask.length),
    value(BITWISE.mask, mask),
    value(BITWISE.xor, xor),
  );
const immediate = (reg: number, data: Uint8Array) =>
  expression('immediate', be32(IMMEDIATE.dreg, reg), value(IMMEDIATE.data, data));
const verdict = (code: number, chain?: string) =>
  expression('immediate', be32(IMMEDIATE.dreg, REG_VERDICT), verdictData(IMMEDIATE.data, code, chain));

/** `"eth0"` as the kernel compares it: the name NUL-padded to IFNAMSIZ; `eth+` as its prefix alone. */
function interfaceBytes(pattern: IfnamePattern): Buffer {
  if (pattern.endsWith('+')) return Buffer.from(pattern.slice(0, -1));
  const out = Buffer.alloc(IFNAMSIZ);
  out.write(pattern);
  return out;
}

/** The address and prefix mask of a network, the address with its host bits cleared. */
export function networkBytes(network: Cidr): { address: Buffer; mask: Buffer } {
  const address = parseIp(network.address);
  const mask = Buffer.alloc(address.length);
  for (let bit = 0; bit < network.prefixLength; bit += 1)
    mask[bit >> 3] = (mask[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  return { address: Buffer.from(address.map((byte, i) => byte & (mask[i] ?? 0))), mask };
}

/** `meta nfproto <family>`: what nft puts before a match or statement that only one family has. */
const nfproto = (family: Family) => [
  loadMeta(META_KEY.nfproto),
  compare(CMP_EQ, Uint8Array.of(NFPROTO[family])),
];

/** Where the addresses are in each family's header. */
const ADDRESS_OFFSET: Readonly<Record<Family, { source: number; destination: number; length: number }>> = {
  ipv4: { source: 12, destination: 16, length: 4 },
  ipv6: { source: 8, destination: 24, length: 16 },
};

function networkMatch(network: Cidr, field: 'source' | 'destination', invert: boolean): Expression[] {
  const where = ADDRESS_OFFSET[network.family];
  const { address, mask } = networkBytes(network);
  const full = network.prefixLength === where.length * 8;
  return [
    load(NETWORK_HEADER, where[field], where.length),
    ...(full ? [] : [bitwise(mask, Buffer.alloc(mask.length))]),
    compare(invert ? CMP_NEQ : CMP_EQ, address),
  ];
}

function ctStateMask(states: readonly CtState[]): number {
  if (states.length === 0) throw new FirewallRuleError('a conntrack match needs a state');
  return states.reduce((bits, state) => {
    const bit = CT_STATE_BIT[state];
    if (bit === undefined) throw new FirewallRuleError(`conntrack state ${JSON.stringify(state)}`);
    return bits | bit;
  }, 0);
}

function matchExpressions(match: Match): Expression[] {
  const op = 'invert' in match && match.invert ? CMP_NEQ : CMP_EQ;
  switch (match.kind) {
    case 'in':
    case 'out':
      return [
        loadMeta(match.kind === 'in' ? META_KEY.iifname : META_KEY.oifname),
        compare(op, interfaceBytes(match.ifname)),
      ];
    case 'source':
    case 'destination':
      return networkMatch(match.cidr, match.kind, match.invert);
    case 'protocol': {
      const proto = IPPROTO[match.protocol];
      if (proto === undefined)
        throw new FirewallRuleError(`protocol ${JSON.stringify(match.protocol)} is not valid`);
      const l4 = [loadMeta(META_KEY.l4proto), compare(CMP_EQ, Uint8Array.of(proto))];
      if (match.destinationPort === undefined) return l4;
      return [...l4, load(TRANSPORT_HEADER, 2, 2), compare(CMP_EQ, be16Value(match.destinationPort))];
    }
    case 'mark':
      return [
        loadMeta(META_KEY.mark),
        bitwise(hostU32(match.mark.mask), hostU32(0)),
        compare(op, hostU32(match.mark.value)),
      ];
    case 'conntrack':
      return [
        loadCt(CT_KEY.state),
        bitwise(hostU32(ctStateMask(match.states)), hostU32(0)),
        compare(CMP_NEQ, hostU32(0)),
      ];
    case 'owner':
      return [loadMeta(META_KEY.skuid), compare(op, hostU32(match.uid))];
    case 'socket':
      throw new FirewallRuleError('the socket match (-m socket --nowildcard) is not expressible in nftables');
  }
}

/** A register loaded with `source`'s mark bits outside the mask cleared and `set` or'ed in, stored to `target`. */
function markUpdate(from: Expression, keepMask: number, set: number, to: Expression): Expression[] {
  return [from, bitwise(hostU32(keepMask), hostU32(set)), to];
}

function translation(kind: 'snat' | 'dnat', to: IpAddress, port: number | undefined): Expression[] {
  const registers = [be32(NAT.addrMin, REG_1), be32(NAT.addrMax, REG_1)];
  let flags = NAT_RANGE_MAP_IPS;
  const loads = [immediate(REG_1, parseIp(to.address))];
  if (port !== undefined) {
    loads.push(immediate(REG_2, be16Value(port)));
    registers.push(be32(NAT.protoMin, REG_2), be32(NAT.protoMax, REG_2));
    flags |= NAT_RANGE_PROTO_SPECIFIED;
  }
  const nat = expression(
    'nat',
    be32(NAT.type, NAT_TYPE[kind]),
    be32(NAT.family, NFPROTO[to.family]),
    ...registers,
    be32(NAT.flags, flags),
  );
  return [...loads, nat];
}

/** `reject`: ICMP port unreachable in the packet's own family (icmpx when the rule has both). */
function reject(family: FamilyScope): Expression {
  if (family === 'both') return expression('reject', be32(REJECT.type, 2), u8(REJECT.code, 1));
  return expression('reject', be32(REJECT.type, 0), u8(REJECT.code, family === 'ipv4' ? 3 : 4));
}

function targetExpressions(table: Table, family: FamilyScope, target: Target): Expression[] {
  const keep = (mask: number) => ~mask >>> 0;
  switch (target.kind) {
    case 'accept':
    case 'drop':
    case 'return':
      return [verdict(VERDICT[target.kind])];
    case 'reject':
      return [reject(family)];
    case 'masquerade':
      return [expression('masq')];
    case 'snat':
      return translation('snat', target.to, undefined);
    case 'dnat':
      return translation('dnat', target.to, target.port);
    case 'set-mark':
      return markUpdate(
        loadMeta(META_KEY.mark),
        keep(target.mark.mask),
        target.mark.value,
        setMeta(META_KEY.mark),
      );
    case 'restore-mark':
      return markUpdate(loadCt(CT_KEY.mark), target.mask, 0, setMeta(META_KEY.mark));
    case 'save-mark':
      return markUpdate(loadMeta(META_KEY.mark), target.mask, 0, setCt(CT_KEY.mark));
    case 'set-connmark':
      return markUpdate(loadCt(CT_KEY.mark), keep(target.mark.mask), target.mark.value, setCt(CT_KEY.mark));
    case 'jump':
      return [verdict(VERDICT.jump, nftChainName(table, target.chain))];
  }
}

/**
 * The rule's expressions: the family check (a rule with an address or a translation is declared for its
 * family: rule-validation.ts), the matches in order, then the statement or verdict.
 */
export function ruleExpressions(table: Table, family: FamilyScope, rule: Rule): Expression[] {
  return [
    ...(family === 'both' ? [] : nfproto(family)),
    ...rule.matches.flatMap(matchExpressions),
    ...targetExpressions(table, family, rule.target),
  ];
}

/** The rule's expressions as the list attribute `type` of a NEWRULE message. */
export function expressionList(type: number, expressions: readonly Expression[]): Buffer {
  return nested(
    type,
    expressions.map((e) =>
      nested(NFTA_LIST_ELEM, [
        str(NFTA_EXPR_NAME, e.name),
        ...(e.attrs.length > 0 ? [nested(NFTA_EXPR_DATA, [...e.attrs])] : []),
      ]),
    ),
  );
}
