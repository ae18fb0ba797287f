import { FirewallRuleError } from '../../errors';
import { NFT_TABLE, ourChain, ownerTag, ruleHandle } from '../names';
import type { ElementKey, NftOp } from '../ops';
import { attr, be32, be64, nested, str } from './attributes';
import { expressionList, networkBytes, ruleExpressions, VERDICT, verdictData } from './expressions';

/** One nf_tables request of a batch: its message type and flags; the payload after the nfgenmsg header. */
export interface NftMessage {
  readonly type: number;
  readonly flags: number;
  readonly attrs: readonly Buffer[];
}

const NFNL_SUBSYS_NFTABLES = 10;
const message = (kind: number) => (NFNL_SUBSYS_NFTABLES << 8) | kind;
const NEWCHAIN = message(3);
const DELCHAIN = message(5);
const NEWRULE = message(6);
const DELRULE = message(8);
const NEWSETELEM = message(12);
const DELSETELEM = message(14);

export const NLM_F_CREATE = 0x400;
const NLM_F_APPEND = 0x800;

const CHAIN = { table: 1, name: 3 } as const;
const RULE = { table: 1, chain: 2, handle: 3, expressions: 4, userdata: 7 } as const;
const ELEMENTS = { table: 1, set: 2, list: 3 } as const;
const ELEMENT = { key: 1, data: 2, flags: 3 } as const;
const NFTA_LIST_ELEM = 1;
const NFTA_DATA_VALUE = 1;
const SET_ELEM_INTERVAL_END = 1;
const UDATA_RULE_COMMENT = 0;

/** The comment as nft stores it in a rule's userdata (a type-length-value, NUL-terminated). */
function commentUserdata(comment: string): Buffer {
  const text = Buffer.from(`${comment}\0`);
  return Buffer.concat([Uint8Array.of(UDATA_RULE_COMMENT, text.length), text]);
}

/**
 * The elements a key stands for: an interface name (NUL-padded to IFNAMSIZ), or for a network an interval's
 * start (which carries the data) and its end, the first address after it (none when it reaches the top).
 */
function keyElements(key: ElementKey): { key: Buffer; end: boolean }[] {
  if (key.kind === 'ifname') {
    if (key.name.endsWith('+')) throw new FirewallRuleError(`map key ${key.name} is a wildcard`);
    const name = Buffer.alloc(16);
    name.write(key.name);
    return [{ key: name, end: false }];
  }
  const { address, mask } = networkBytes(key.cidr);
  const after = Buffer.from(address.map((byte, i) => byte | (~(mask[i] ?? 0) & 0xff)));
  let carry = 1;
  for (let i = after.length - 1; i >= 0 && carry > 0; i -= 1) {
    const sum = (after[i] ?? 0) + carry;
    after[i] = sum & 0xff;
    carry = sum >> 8;
  }
  return carry > 0
    ? [{ key: address, end: false }]
    : [
        { key: address, end: false },
        { key: after, end: true },
      ];
}

function elementList(key: ElementKey, jumpTo: string | undefined): Buffer {
  return nested(
    ELEMENTS.list,
    keyElements(key).map((e) => {
      const parts = [nested(ELEMENT.key, [attr(NFTA_DATA_VALUE, e.key)])];
      if (e.end) parts.push(be32(ELEMENT.flags, SET_ELEM_INTERVAL_END));
      else if (jumpTo !== undefined) parts.push(verdictData(ELEMENT.data, VERDICT.jump, ourChain(jumpTo)));
      return nested(NFTA_LIST_ELEM, parts);
    }),
  );
}

const table = (type: number) => str(type, NFT_TABLE);

/** The nf_tables request for `op`, in the table `inet patchpanel`. */
export function nftMessage(op: NftOp): NftMessage {
  switch (op.op) {
    case 'add-chain':
    case 'delete-chain':
      return {
        type: op.op === 'add-chain' ? NEWCHAIN : DELCHAIN,
        flags: op.op === 'add-chain' ? NLM_F_CREATE : 0,
        attrs: [table(CHAIN.table), str(CHAIN.name, ourChain(op.chain))],
      };
    case 'flush-chain':
      return { type: DELRULE, flags: 0, attrs: [table(RULE.table), str(RULE.chain, ourChain(op.chain))] };
    case 'delete-rule':
      return {
        type: DELRULE,
        flags: 0,
        attrs: [
          table(RULE.table),
          str(RULE.chain, ourChain(op.chain)),
          be64(RULE.handle, ruleHandle(op.handle)),
        ],
      };
    case 'add-rule':
      return {
        type: NEWRULE,
        flags: NLM_F_CREATE | (op.at === 'append' ? NLM_F_APPEND : 0),
        attrs: [
          table(RULE.table),
          str(RULE.chain, ourChain(op.chain)),
          expressionList(RULE.expressions, ruleExpressions(op.table, op.family, op.rule)),
          attr(RULE.userdata, commentUserdata(ownerTag(op.tag))),
        ],
      };
    case 'add-element':
      return {
        type: NEWSETELEM,
        flags: NLM_F_CREATE,
        attrs: [table(ELEMENTS.table), str(ELEMENTS.set, ourChain(op.map)), elementList(op.key, op.jumpTo)],
      };
    case 'delete-element':
      return {
        type: DELSETELEM,
        flags: 0,
        attrs: [table(ELEMENTS.table), str(ELEMENTS.set, ourChain(op.map)), elementList(op.key, undefined)],
      };
  }
}
