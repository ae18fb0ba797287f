import { InterfaceAddressTable } from '../../src/system/interface-addresses';
import { ip, ipNumber } from './broadcast-packets';

function table(indexes: Map<string, number>): { table: InterfaceAddressTable; changes: string[] } {
  const addresses = new InterfaceAddressTable((device) => indexes.get(device));
  const changes: string[] = [];
  addresses.onChange((device) => changes.push(device));
  return { table: addresses, changes };
}

const update = (ifindex: number, cidr: string, removed = false) => {
  const [address, prefix] = cidr.split('/');
  return { ifindex, address: Uint8Array.from(ip(address!)), prefixLength: Number(prefix), removed };
};

const v4 = (cidr: string) => {
  const [address, prefix] = cidr.split('/');
  return { address: ipNumber(address!), prefixLength: Number(prefix) };
};

describe('InterfaceAddressTable', () => {
  test('answers by device name through its ifindex; unknown devices and bare links have none', () => {
    const { table: t } = table(
      new Map([
        ['eth0', 2],
        ['arc_a', 5],
      ]),
    );
    t.update(update(2, '192.168.1.2/24'));
    expect(t.ipv4Of('eth0')).toEqual(v4('192.168.1.2/24'));
    expect(t.ipv4Of('arc_a')).toBeUndefined();
    expect(t.ipv4Of('missing0')).toBeUndefined();
  });

  test('the first address is the primary; a repeat keeps its place; removing it promotes the next', () => {
    const { table: t } = table(new Map([['eth0', 2]]));
    t.update(update(2, '192.168.1.2/24'));
    t.update(update(2, '192.168.1.3/24'));
    t.update(update(2, '192.168.1.2/24'));
    expect(t.ipv4Of('eth0')).toEqual(v4('192.168.1.2/24'));
    t.update(update(2, '192.168.1.2/24', true));
    expect(t.ipv4Of('eth0')).toEqual(v4('192.168.1.3/24'));
    t.update(update(2, '192.168.1.3/24', true));
    expect(t.ipv4Of('eth0')).toBeUndefined();
  });

  test('the same address with another prefix is another entry', () => {
    const { table: t } = table(new Map([['eth0', 2]]));
    t.update(update(2, '10.0.0.2/8'));
    t.update(update(2, '10.0.0.2/16'));
    t.update(update(2, '10.0.0.2/8', true));
    expect(t.ipv4Of('eth0')).toEqual(v4('10.0.0.2/16'));
  });

  test('listeners hear about devices asked for, once per change of their answer', () => {
    const { table: t, changes } = table(
      new Map([
        ['eth0', 2],
        ['arc_a', 5],
      ]),
    );
    t.update(update(2, '192.168.1.2/24'));
    expect(changes).toEqual([]);
    t.ipv4Of('eth0');
    t.ipv4Of('arc_a');
    t.update(update(2, '192.168.1.9/24'));
    t.update(update(5, '100.115.92.5/30'));
    t.update(update(5, '100.115.92.5/30'));
    t.update(update(7, '10.9.9.9/24'));
    t.update(update(2, '192.168.1.2/24', true));
    expect(changes).toEqual(['arc_a', 'eth0']);
  });

  test('a device re-created under its name (a new ifindex) is followed', () => {
    const indexes = new Map([['arc_a', 5]]);
    const { table: t, changes } = table(indexes);
    t.update(update(5, '100.115.92.5/30'));
    expect(t.ipv4Of('arc_a')).toEqual(v4('100.115.92.5/30'));
    t.update(update(5, '100.115.92.5/30', true));
    indexes.set('arc_a', 9);
    t.update(update(9, '100.115.92.9/30'));
    expect(changes).toEqual(['arc_a', 'arc_a']);
    expect(t.ipv4Of('arc_a')).toEqual(v4('100.115.92.9/30'));
  });

  test('unsubscribing stops the calls', () => {
    const addresses = new InterfaceAddressTable(() => 2);
    const heard: string[] = [];
    const unsubscribe = addresses.onChange((device) => heard.push(device));
    addresses.ipv4Of('eth0');
    unsubscribe();
    addresses.update(update(2, '192.168.1.2/24'));
    expect(heard).toEqual([]);
  });
});
