import { Variant } from 'dbus-next';
import {
  deviceKindOfShill,
  ifnameOfDevicePath,
  parseDeviceProperties,
  parseManagerProperties,
  parseServiceProperties,
  usableObjectPath,
} from '../../../src/devices/shill/shill-properties';

describe('shill property parsing (spec §4)', () => {
  test('Manager: device paths and the default service, from Variants', () => {
    expect(
      parseManagerProperties({
        Devices: new Variant('ao', ['/device/eth0', '/device/wlan0']),
        DefaultService: new Variant('o', '/service/3'),
        ConnectionState: new Variant('s', 'online'),
      }),
    ).toEqual({ devices: ['/device/eth0', '/device/wlan0'], defaultService: '/service/3' });
  });

  test('Manager: "/" means no default service; missing or malformed values are empty', () => {
    expect(parseManagerProperties({ DefaultService: new Variant('o', '/') })).toEqual({
      devices: [],
      defaultService: undefined,
    });
    expect(
      parseManagerProperties({ Devices: new Variant('as', ['/device/eth0', 'eth1', '/device/a b', 7]) }),
    ).toEqual({ devices: ['/device/eth0'], defaultService: undefined });
    expect(parseManagerProperties({ Devices: new Variant('s', '/device/eth0') }).devices).toEqual([]);
  });

  test('Service: connected only when IsConnected is true', () => {
    expect(
      parseServiceProperties({
        IsConnected: new Variant('b', true),
        Type: new Variant('s', 'wifi'),
        Device: new Variant('o', '/device/wlan0'),
      }),
    ).toEqual({ isConnected: true, type: 'wifi', device: '/device/wlan0' });
    expect(
      parseServiceProperties({ IsConnected: new Variant('s', 'true'), Device: new Variant('o', '/') }),
    ).toEqual({ isConnected: false, type: undefined, device: undefined });
  });

  test('Device: Interface and Type; an empty Interface is none', () => {
    expect(
      parseDeviceProperties({ Interface: new Variant('s', 'eth0'), Type: new Variant('s', 'ethernet') }),
    ).toEqual({ interface: 'eth0', type: 'ethernet' });
    expect(parseDeviceProperties({ Interface: new Variant('s', '') })).toEqual({
      interface: undefined,
      type: undefined,
    });
  });

  test('plain values (not Variants) are accepted too', () => {
    expect(parseDeviceProperties({ Interface: 'wwan0', Type: 'cellular' })).toEqual({
      interface: 'wwan0',
      type: 'cellular',
    });
  });

  test.each([
    ['ethernet', 'usb0', 'ethernet'],
    ['etherneteap', 'eth0', 'ethernet'],
    ['wifi', 'mlan0', 'wifi'],
    ['cellular', 'rmnet0', 'cellular'],
    ['vpn', 'tun0', 'other'],
    ['pppoe', 'eth1', 'ethernet'],
    [undefined, 'wlan1', 'wifi'],
  ])('kind of type %s on %s is %s', (type, ifname, kind) => {
    expect(deviceKindOfShill(type, ifname)).toBe(kind);
  });

  test('object paths', () => {
    expect(ifnameOfDevicePath('/device/eth0')).toBe('eth0');
    expect(usableObjectPath('/service/1')).toBe('/service/1');
    expect([
      usableObjectPath('/'),
      usableObjectPath('service'),
      usableObjectPath('/a//b'),
      usableObjectPath(3),
    ]).toEqual([undefined, undefined, undefined, undefined]);
  });
});
