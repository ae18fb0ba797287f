import fc from 'fast-check';
import { applyGuestMessage, applyPolicy, type GateState, INITIAL_GATE, isOpen } from '../../src/gate';
import { decoded, GuestEvent, type GuestFields, GuestType } from '../support/messages';

type Input = { readonly policy: boolean } | { readonly guest: GuestFields };

/** Known enum numbers most of the time, any int32 now and then (a newer manager's). */
const enumValue = (known: readonly number[]): fc.Arbitrary<number> =>
  fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: fc.integer() });

const numbersOf = (values: object): number[] => Object.values(values).filter(Number.isInteger);

/** Few distinct ids, so a STOP often names the running guest and often a stale one. */
const id = fc.option(fc.constantFrom(33, 34, 35), { nil: undefined });

const guestFields: fc.Arbitrary<GuestFields> = fc
  .record({
    type: enumValue(numbersOf(GuestType)),
    event: enumValue(numbersOf(GuestEvent)),
    arcPid: id,
    arcvmVsockCid: id,
  })
  .map(({ type, event, arcPid, arcvmVsockCid }) => ({
    type: type as GuestType,
    event: event as GuestEvent,
    ...(arcPid !== undefined && { arcPid }),
    ...(arcvmVsockCid !== undefined && { arcvmVsockCid }),
  }));

const input: fc.Arbitrary<Input> = fc.oneof(
  { weight: 1, arbitrary: fc.boolean().map((policy) => ({ policy })) },
  { weight: 4, arbitrary: guestFields.map((guest) => ({ guest })) },
);

/**
 * The model, straight from the original: ADB is allowed by the last policy; a START of ARC or ARC_VM makes that
 * guest the one that is up; a STOP ends it only when it is of the same type and, for ARC_VM, the same cid.
 */
class Model {
  allowed = false;
  up: { type: number; cid: number | undefined } | undefined;

  apply(step: Input): void {
    if ('policy' in step) {
      this.allowed = step.policy;
      return;
    }
    const { type, event, arcvmVsockCid } = step.guest;
    if (type !== GuestType.ARC && type !== GuestType.ARC_VM) return;
    if (event === GuestEvent.START) this.up = { type, cid: arcvmVsockCid ?? undefined };
    const same = this.up?.type === type && (type === GuestType.ARC || this.up?.cid === arcvmVsockCid);
    if (event === GuestEvent.STOP && same) this.up = undefined;
  }

  get open(): boolean {
    return this.allowed && this.up !== undefined;
  }
}

test('for any sequence of messages, the gate is open exactly when the model says so', () => {
  fc.assert(
    fc.property(fc.array(input, { maxLength: 40 }), (inputs) => {
      const model = new Model();
      let state: GateState = INITIAL_GATE;
      for (const step of inputs) {
        model.apply(step);
        if ('policy' in step) {
          state = applyPolicy(state, step.policy);
        } else {
          const next = applyGuestMessage(state, decoded(step.guest));
          // An ignored message changes nothing and says why; an applied one gives no reason.
          if (next.ignored !== undefined) {
            expect(next.ignored).not.toBe('');
            expect(next.state).toBe(state);
          }
          state = next.state;
        }
        expect(isOpen(state)).toBe(model.open);
        expect(state.allowed).toBe(model.allowed);
      }
    }),
    { numRuns: 2000 },
  );
});
