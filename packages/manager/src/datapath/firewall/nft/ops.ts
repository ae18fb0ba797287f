import type { FamilyScope, Rule, Table } from '../model';
import { type Cidr, cidr, ifnamePattern, type OwnerId } from '../values';
import { ourChain, ruleHandle, TABLE_REF } from './names';
import { interfaceName, network, renderNftRule } from './render-rule';

/** The key of a dispatch map element: the guest's interface, or its source network (an interval). */
export type ElementKey =
  | { readonly kind: 'ifname'; readonly name: string }
  | { readonly kind: 'network'; readonly cidr: Cidr };

/**
 * One change to the table `inet patchpanel`, typed: what an owner's install or removal is made of. The same
 * list becomes nft commands (`nftCommand`, for `nft -i`) or nf_tables netlink messages (`./netlink`).
 */
export type NftOp =
  | { readonly op: 'add-chain' | 'flush-chain' | 'delete-chain'; readonly chain: string }
  | {
      readonly op: 'add-rule';
      readonly table: Table;
      readonly chain: string;
      readonly family: FamilyScope;
      readonly rule: Rule;
      readonly tag: OwnerId;
      /** `insert`: ahead of the chain's rules; `append`: after them. */
      readonly at: 'insert' | 'append';
    }
  | { readonly op: 'delete-rule'; readonly chain: string; readonly handle: number }
  | { readonly op: 'add-element'; readonly map: string; readonly key: ElementKey; readonly jumpTo: string }
  | { readonly op: 'delete-element'; readonly map: string; readonly key: ElementKey };

/** A key as nft takes it: `"arc_ns0"`, `100.115.92.128/30`. */
export function elementKeyText(key: ElementKey): string {
  return key.kind === 'ifname' ? interfaceName(key.name) : network(key.cidr);
}

/** A key as `nft list` prints it, checked: `"arc_ns0"`, `100.115.92.128/30`, `fd00::1`. */
export function parseElementKey(text: string): ElementKey {
  const quoted = /^"(.*)"$/.exec(text);
  if (quoted !== null) return { kind: 'ifname', name: ifnamePattern(quoted[1] ?? '') };
  if (text.includes('/')) return { kind: 'network', cidr: cidr(text) };
  return { kind: 'network', cidr: cidr(`${text}/${text.includes(':') ? 128 : 32}`) };
}

/** The nft command for `op`; every name and value is checked again on the way into the text. */
export function nftCommand(op: NftOp): string {
  switch (op.op) {
    case 'add-chain':
      return `add chain ${TABLE_REF} ${ourChain(op.chain)}`;
    case 'flush-chain':
      return `flush chain ${TABLE_REF} ${ourChain(op.chain)}`;
    case 'delete-chain':
      return `delete chain ${TABLE_REF} ${ourChain(op.chain)}`;
    case 'add-rule': {
      const verb = op.at === 'insert' ? 'insert' : 'add';
      return `${verb} rule ${TABLE_REF} ${ourChain(op.chain)} ${renderNftRule(op.table, op.family, op.rule, op.tag)}`;
    }
    case 'delete-rule':
      return `delete rule ${TABLE_REF} ${ourChain(op.chain)} handle ${ruleHandle(op.handle)}`;
    case 'add-element':
      return `add element ${TABLE_REF} ${ourChain(op.map)} { ${elementKeyText(op.key)} : jump ${ourChain(op.jumpTo)} }`;
    case 'delete-element':
      return `delete element ${TABLE_REF} ${ourChain(op.map)} { ${elementKeyText(op.key)} }`;
  }
}
