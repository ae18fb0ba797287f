import { type NetlinkAttribute, parseAttributes } from 'netlink';
import { macBytes, nla, vethLinkInfo } from '../../../src/datapath/links/linkinfo';

const attributes = (bytes: Buffer): NetlinkAttribute[] => {
  const out: NetlinkAttribute[] = [];
  parseAttributes(bytes, (attribute) => out.push(attribute));
  return out;
};

describe('netlink attributes', () => {
  test('pads to 4 bytes and records the unpadded length', () => {
    expect([...nla(3, Buffer.from('ab\0'))]).toEqual([7, 0, 3, 0, 0x61, 0x62, 0, 0]);
    expect([...nla(1, Buffer.alloc(4, 9))]).toEqual([8, 0, 1, 0, 9, 9, 9, 9]);
  });

  test('MAC text to bytes', () => {
    expect([...macBytes('02:ab:00:10:ff:7e')]).toEqual([2, 0xab, 0, 0x10, 0xff, 0x7e]);
  });

  test('a veth link info nests kind, data, peer ifinfomsg, name, MAC and namespace fd', () => {
    const info = vethLinkInfo({ ifname: 'veth3', mac: '02:00:00:00:00:09', netnsFd: 42 });
    const top = attributes(info);
    expect(top.map((a) => a.type)).toEqual([1, 2]);
    expect(top[0]!.data.toString('latin1')).toBe('veth\0');
    expect(top[1]!.nested).toBe(true);
    const [peer] = attributes(top[1]!.data);
    expect(peer).toMatchObject({ type: 1, nested: true });
    const ifinfomsg = peer!.data.subarray(0, 16);
    expect([...ifinfomsg]).toEqual(new Array(16).fill(0));
    const attrs = attributes(peer!.data.subarray(16));
    expect(attrs.map((a) => a.type)).toEqual([3, 1, 28]);
    expect(attrs[0]!.data.toString('latin1')).toBe('veth3\0');
    expect([...attrs[1]!.data]).toEqual([2, 0, 0, 0, 0, 9]);
    expect(attrs[2]!.data.readUInt32LE(0)).toBe(42);
  });
});
