import { deviceEnvelope, GuestEvent, GuestType } from '@patchpanel/ipc';
import { HelperState } from '../../../src/helpers/helper-state';

const guest = (type: number, event: number, extra = {}) => ({ guestMessage: { type, event, ...extra } });

describe('HelperState', () => {
  test('starts empty', () => {
    expect(new HelperState().snapshot()).toEqual([]);
  });

  test('replays the guests that are up, with their latest START, before the forwarding pairs', () => {
    const state = new HelperState();
    state.record(deviceEnvelope({ action: 'start', upstream: 'eth0', guest: 'arc_eth0' }));
    state.record(guest(GuestType.ARC, GuestEvent.START, { arcPid: 4242 }));
    state.record(guest(GuestType.ARC_VM, GuestEvent.START, { arcvmVsockCid: 33 }));
    state.record(guest(GuestType.ARC_VM, GuestEvent.STOP, { arcvmVsockCid: 33 }));
    state.record(deviceEnvelope({ action: 'start', upstream: 'eth0', guest: 'vmtap0' }));
    state.record(deviceEnvelope({ action: 'start', upstream: 'wlan0', guest: 'arc_wlan0' }));
    expect(state.snapshot()).toEqual([
      guest(GuestType.ARC, GuestEvent.START, { arcPid: 4242 }),
      deviceEnvelope({ action: 'start', upstream: 'eth0', guest: 'arc_eth0' }),
      deviceEnvelope({ action: 'start', upstream: 'eth0', guest: 'vmtap0' }),
      deviceEnvelope({ action: 'start', upstream: 'wlan0', guest: 'arc_wlan0' }),
    ]);
  });

  test('replays the latest ADB policy first, and an ARCVM restart (new START, then the old STOP) stays up', () => {
    const state = new HelperState();
    state.record(guest(GuestType.ARC_VM, GuestEvent.START, { arcvmVsockCid: 33 }));
    state.record({ adbPolicyMessage: { allowed: true } });
    state.record({ adbPolicyMessage: { allowed: false } });
    state.record(guest(GuestType.ARC_VM, GuestEvent.START, { arcvmVsockCid: 34 }));
    state.record(guest(GuestType.ARC_VM, GuestEvent.STOP, { arcvmVsockCid: 33 }));
    expect(state.snapshot()).toEqual([
      { adbPolicyMessage: { allowed: false } },
      guest(GuestType.ARC_VM, GuestEvent.START, { arcvmVsockCid: 34 }),
    ]);
  });

  test('a pair stop removes that pair; an upstream teardown removes all of its pairs', () => {
    const state = new HelperState();
    for (const g of ['a', 'b']) state.record(deviceEnvelope({ action: 'start', upstream: 'eth0', guest: g }));
    state.record(deviceEnvelope({ action: 'start', upstream: 'wlan0', guest: 'c' }));
    state.record(deviceEnvelope({ action: 'stop', upstream: 'eth0', guest: 'a' }));
    expect(state.snapshot()).toEqual([
      deviceEnvelope({ action: 'start', upstream: 'eth0', guest: 'b' }),
      deviceEnvelope({ action: 'start', upstream: 'wlan0', guest: 'c' }),
    ]);
    state.record(deviceEnvelope({ action: 'remove-upstream', upstream: 'eth0' }));
    expect(state.snapshot()).toEqual([deviceEnvelope({ action: 'start', upstream: 'wlan0', guest: 'c' })]);
  });

  test('VMs of one type carry no id: the type stays up until as many STOPs as STARTs', () => {
    const state = new HelperState();
    state.record(guest(GuestType.TERMINA_VM, GuestEvent.START));
    state.record(guest(GuestType.TERMINA_VM, GuestEvent.START));
    state.record(guest(GuestType.TERMINA_VM, GuestEvent.STOP));
    expect(state.snapshot()).toEqual([guest(GuestType.TERMINA_VM, GuestEvent.START)]);
    state.record(guest(GuestType.TERMINA_VM, GuestEvent.STOP));
    state.record(guest(GuestType.TERMINA_VM, GuestEvent.STOP));
    expect(state.snapshot()).toEqual([]);
  });

  test('messages that are not state are ignored', () => {
    const state = new HelperState();
    state.record({ ndproxyMessage: { type: 1, ifname: 'arc_eth0', ip6addr: '2001:db8::1' } });
    state.record(guest(GuestType.ARC, GuestEvent.UNKNOWN_EVENT));
    expect(state.snapshot()).toEqual([]);
  });
});
