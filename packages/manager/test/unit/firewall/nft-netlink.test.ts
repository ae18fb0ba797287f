import fc from 'fast-check';
import { parseAttributes } from 'netlink';
import { cidr, FirewallRuleError } from '../../../src/datapath/firewall';
import { nftMessage } from '../../../src/datapath/firewall/nft';
import { attr, nested } from '../../../src/datapath/firewall/nft/netlink/attributes';

const NLA_F_NESTED = 0x8000;
const ELEMENTS_LIST = 3;

/** The attributes of `buffer` by type (the nested flag cleared), each type's payloads in order. */
function attributes(buffer: Buffer): Map<number, Buffer[]> {
  const out = new Map<number, Buffer[]>();
  parseAttributes(buffer, (a) => {
    const type = a.type & ~NLA_F_NESTED;
    out.set(type, [...(out.get(type) ?? []), a.data]);
  });
  return out;
}

/** Each element of an add-element or delete-element request: its key bytes and whether it ends an interval. */
function elements(map: string, network: string): { key: string; end: boolean }[] {
  const message = nftMessage({ op: 'delete-element', map, key: { kind: 'network', cidr: cidr(network) } });
  const list = attributes(Buffer.concat(message.attrs)).get(ELEMENTS_LIST)?.[0] as Buffer;
  return (attributes(list).get(1) ?? []).map((element) => {
    const parts = attributes(element);
    const key = attributes(parts.get(1)?.[0] as Buffer).get(1)?.[0] as Buffer;
    return { key: key.toString('hex'), end: parts.has(3) };
  });
}

describe('nf_tables netlink encoding', () => {
  test('an attribute is its length (header included), type, payload, padded to 4 bytes', () => {
    expect(attr(7, Buffer.from('abc'))).toEqual(Buffer.from([7, 0, 7, 0, 0x61, 0x62, 0x63, 0]));
    expect(nested(2, [attr(1, Buffer.alloc(0))]).readUInt16LE(2)).toBe(2 | NLA_F_NESTED);
  });

  test('a network key is an interval: its start, and the first address after it marked as the end', () => {
    expect(elements('pp_nat_POSTROUTING_saddr4', '100.115.92.128/30')).toEqual([
      { key: '64735c80', end: false },
      { key: '64735c84', end: true },
    ]);
    expect(elements('pp_nat_POSTROUTING_saddr6', 'fd00:0:0:ffff::/64')).toEqual([
      { key: 'fd0000000000ffff0000000000000000', end: false },
      { key: 'fd000000000100000000000000000000', end: true },
    ]);
  });

  test('an interval that reaches the top of the address space has no end element', () => {
    expect(elements('pp_nat_POSTROUTING_saddr4', '255.255.255.252/30')).toEqual([
      { key: 'fffffffc', end: false },
    ]);
  });

  test('property: an IPv4 interval spans exactly its network', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 1, max: 32 }),
        (address, length) => {
          const network = length === 32 ? address : address & ~(2 ** (32 - length) - 1);
          const text = [24, 16, 8, 0].map((shift) => (network >>> shift) & 0xff).join('.');
          const [start, end] = elements('pp_m', `${text}/${length}`);
          const first = Number.parseInt(start?.key ?? '', 16);
          expect(first % 2 ** (32 - length)).toBe(0);
          if (end === undefined) expect(first + 2 ** (32 - length)).toBe(2 ** 32);
          else expect(Number.parseInt(end.key, 16) - first).toBe(2 ** (32 - length));
        },
      ),
    );
  });

  test('names that are not ours, and wildcard keys, are refused before anything is encoded', () => {
    for (const chain of ['pp_x; drop', 'eth0 -j ACCEPT', '../pp_x', 'input']) {
      expect(() => nftMessage({ op: 'delete-chain', chain })).toThrow(FirewallRuleError);
      expect(() => nftMessage({ op: 'delete-rule', chain, handle: 3 })).toThrow(FirewallRuleError);
    }
    expect(() => nftMessage({ op: 'delete-rule', chain: 'pp_x', handle: 0 })).toThrow(FirewallRuleError);
    expect(() =>
      nftMessage({ op: 'add-element', map: 'pp_m', key: { kind: 'ifname', name: 'eth+' }, jumpTo: 'pp_c' }),
    ).toThrow(/wildcard/);
  });
});
