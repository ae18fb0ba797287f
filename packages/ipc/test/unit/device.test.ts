import {
  type DeviceChange,
  decodeEnvelope,
  deviceEnvelope,
  encodeEnvelope,
  readDeviceMessage,
} from '../../src';

describe('DeviceMessage: teardown counts by presence only', () => {
  test.each([
    [
      { devIfname: 'eth0', brIfname: 'arc_eth0' },
      { action: 'start', upstream: 'eth0', guest: 'arc_eth0' },
    ],
    [
      { devIfname: 'eth0', brIfname: 'vmtap1', teardown: true },
      { action: 'stop', upstream: 'eth0', guest: 'vmtap1' },
    ],
    [
      { devIfname: 'eth0', brIfname: 'vmtap1', teardown: false },
      { action: 'stop', upstream: 'eth0', guest: 'vmtap1' },
    ],
    [
      { devIfname: 'wlan0', teardown: false },
      { action: 'remove-upstream', upstream: 'wlan0' },
    ],
    [{ devIfname: 'wlan0' }, { action: 'none', upstream: 'wlan0' }],
  ])('%j -> %j, also after a trip over the wire', (fields, change) => {
    expect(readDeviceMessage(fields)).toEqual(change);
    const received = decodeEnvelope(encodeEnvelope({ deviceMessage: fields }));
    expect(received?.kind).toBe('deviceMessage');
    if (received?.kind === 'deviceMessage') {
      expect(readDeviceMessage(received.message)).toEqual(change);
    }
  });

  test.each<DeviceChange>([
    { action: 'start', upstream: 'eth0', guest: 'arc_eth0' },
    { action: 'stop', upstream: 'eth0', guest: 'arc_eth0' },
    { action: 'remove-upstream', upstream: 'eth0' },
    { action: 'none', upstream: 'eth0' },
  ])('deviceEnvelope is the inverse of readDeviceMessage for %j', (change) => {
    const received = decodeEnvelope(encodeEnvelope(deviceEnvelope(change)));
    expect(received?.kind === 'deviceMessage' && readDeviceMessage(received.message)).toEqual(change);
  });
});
