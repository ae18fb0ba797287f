import { applyGuestMessage, applyPolicy, type GateState, INITIAL_GATE, isOpen } from '../../src/gate';
import {
  ARC_PID,
  ARCVM_CID,
  arc,
  arcvm,
  decoded,
  GuestEvent,
  type GuestFields,
  GuestType,
} from '../support/messages';

/** Applies the messages in order: the state after the last, and each message's reason for being ignored. */
function run(messages: readonly GuestFields[], from: GateState = INITIAL_GATE) {
  return messages.reduce<{ state: GateState; ignored: (string | undefined)[] }>(
    (acc, fields) => {
      const step = applyGuestMessage(acc.state, decoded(fields));
      return { state: step.state, ignored: [...acc.ignored, step.ignored] };
    },
    { state: from, ignored: [] },
  );
}

const allowed = applyPolicy(INITIAL_GATE, true);

describe('the ADB gate', () => {
  test('starts closed: no guest, ADB not allowed', () => {
    expect(INITIAL_GATE).toEqual({ allowed: false, guest: undefined });
    expect(isOpen(INITIAL_GATE)).toBe(false);
  });

  test('opens only when a guest is up and ADB is allowed, whichever comes first', () => {
    const guestFirst = run([arcvm(GuestEvent.START)]).state;
    expect(isOpen(guestFirst)).toBe(false);
    expect(isOpen(applyPolicy(guestFirst, true))).toBe(true);
    expect(isOpen(allowed)).toBe(false);
    expect(isOpen(run([arcvm(GuestEvent.START)], allowed).state)).toBe(true);
  });

  test('a policy change keeps the guest, and revoking ADB closes the gate', () => {
    const open = run([arc(GuestEvent.START)], allowed).state;
    const revoked = applyPolicy(open, false);
    expect(revoked.guest).toEqual({ kind: 'arc', pid: ARC_PID });
    expect(isOpen(revoked)).toBe(false);
    expect(isOpen(applyPolicy(revoked, true))).toBe(true);
  });

  test.each([
    ['ARC_VM', arcvm(GuestEvent.START), { kind: 'arcvm', cid: ARCVM_CID }],
    ['ARC', arc(GuestEvent.START), { kind: 'arc', pid: ARC_PID }],
  ])('a %s START records the guest and its id', (_name, start, guest) => {
    const { state, ignored } = run([start], allowed);
    expect(ignored).toEqual([undefined]);
    expect(state.guest).toEqual(guest);
    expect(isOpen(state)).toBe(true);
  });

  test('a START without its id still records the guest', () => {
    const { state } = run([{ type: GuestType.ARC_VM, event: GuestEvent.START }], allowed);
    expect(state.guest).toEqual({ kind: 'arcvm', cid: undefined });
    expect(isOpen(state)).toBe(true);
  });

  test.each([
    ['ARC_VM with the current cid', arcvm(GuestEvent.START), arcvm(GuestEvent.STOP)],
    ['ARC (its pid is not compared)', arc(GuestEvent.START), arc(GuestEvent.STOP, ARC_PID + 1)],
  ])('a STOP of %s closes the gate and forgets the guest', (_name, start, stop) => {
    const { state, ignored } = run([start, stop], allowed);
    expect(ignored).toEqual([undefined, undefined]);
    expect(state).toEqual({ allowed: true, guest: undefined });
    expect(isOpen(state)).toBe(false);
  });

  test('an ARCVM restart (new START, then the old STOP) stays open on the new cid', () => {
    const { state, ignored } = run(
      [arcvm(GuestEvent.START, 33), arcvm(GuestEvent.START, 34), arcvm(GuestEvent.STOP, 33)],
      allowed,
    );
    expect(ignored[2]).toBe('stale STOP for cid 33, cid 34 is up');
    expect(state.guest).toEqual({ kind: 'arcvm', cid: 34 });
    expect(isOpen(state)).toBe(true);
    expect(isOpen(run([arcvm(GuestEvent.STOP, 34)], state).state)).toBe(false);
  });

  test('an ARCVM STOP without a cid does not stop an ARCVM that has one', () => {
    const up = run([arcvm(GuestEvent.START)], allowed).state;
    const { state, ignored } = run([{ type: GuestType.ARC_VM, event: GuestEvent.STOP }], up);
    expect(ignored[0]).toMatch(/^stale STOP/);
    expect(state).toBe(up);
  });

  test.each([
    ['an ARC STOP while ARCVM is up', arcvm(GuestEvent.START), arc(GuestEvent.STOP), 'no arc guest is up'],
    [
      'an ARCVM STOP while ARC++ is up',
      arc(GuestEvent.START),
      arcvm(GuestEvent.STOP),
      'no arcvm guest is up',
    ],
  ])('%s is ignored', (_name, start, stop, reason) => {
    const up = run([start], allowed).state;
    const { state, ignored } = run([stop], up);
    expect(ignored).toEqual([reason]);
    expect(state).toBe(up);
    expect(isOpen(state)).toBe(true);
  });

  test('a STOP with no guest up is ignored', () => {
    expect(run([arcvm(GuestEvent.STOP)], allowed)).toEqual({
      state: allowed,
      ignored: ['no arcvm guest is up'],
    });
  });

  test.each([GuestType.UNKNOWN_GUEST, GuestType.TERMINA_VM, GuestType.PLUGIN_VM, 99 as GuestType])(
    'guest type %d has no adbd: its messages are ignored with a reason',
    (type) => {
      const up = run([arcvm(GuestEvent.START)], allowed).state;
      for (const event of [GuestEvent.START, GuestEvent.STOP]) {
        const { state, ignored } = run([{ type, event }], up);
        expect(ignored).toEqual([`guest type ${type} has no adbd`]);
        expect(state).toBe(up);
      }
    },
  );

  test.each([GuestEvent.UNKNOWN_EVENT, 7 as GuestEvent])(
    'unknown event %d is ignored with a reason, for both Android guests',
    (event) => {
      for (const start of [arcvm(GuestEvent.START), arc(GuestEvent.START)]) {
        const up = run([start], allowed).state;
        const { state, ignored } = run([{ ...start, event }], up);
        expect(ignored).toEqual([`unknown guest event ${event}`]);
        expect(state).toBe(up);
        expect(isOpen(state)).toBe(true);
      }
    },
  );

  test('a START of the other Android guest replaces the current one', () => {
    const { state } = run([arcvm(GuestEvent.START), arc(GuestEvent.START)], allowed);
    expect(state.guest).toEqual({ kind: 'arc', pid: ARC_PID });
    // The ARCVM's STOP now belongs to no running guest.
    expect(run([arcvm(GuestEvent.STOP)], state).ignored).toEqual(['no arcvm guest is up']);
  });

  test('applying a message never changes the state it was given', () => {
    const up = run([arcvm(GuestEvent.START)], allowed).state;
    const copy = structuredClone(up);
    run([arcvm(GuestEvent.STOP), arc(GuestEvent.START)], up);
    applyPolicy(up, false);
    expect(up).toEqual(copy);
  });
});
