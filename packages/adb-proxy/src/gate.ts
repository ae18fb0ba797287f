import { GuestEvent, type GuestMessage, GuestType } from '@patchpanel/ipc';

/** The Android guest adbd runs in: the ARC++ container or ARCVM (known by its vsock cid). */
export type AndroidGuest =
  | { readonly kind: 'arc'; readonly pid: number | undefined }
  | { readonly kind: 'arcvm'; readonly cid: number | undefined };

/** Everything that decides whether the relay listens: the manager's ADB policy and the Android guest. */
export interface GateState {
  readonly allowed: boolean;
  readonly guest: AndroidGuest | undefined;
}

export const INITIAL_GATE: GateState = { allowed: false, guest: undefined };

/** The next state, and why a message changed nothing when it was ignored. */
export interface GateStep {
  readonly state: GateState;
  readonly ignored?: string;
}

/** The relay listens only while an Android guest is up and ADB is allowed. */
export function isOpen(state: GateState): boolean {
  return state.allowed && state.guest !== undefined;
}

export function applyPolicy(state: GateState, allowed: boolean): GateState {
  return { ...state, allowed };
}

function guestOf(message: GuestMessage): AndroidGuest | undefined {
  const orUndefined = (value: number | null | undefined) => value ?? undefined;
  if (message.type === GuestType.ARC) return { kind: 'arc', pid: orUndefined(message.arcPid) };
  if (message.type === GuestType.ARC_VM) return { kind: 'arcvm', cid: orUndefined(message.arcvmVsockCid) };
  return undefined;
}

/**
 * A START replaces the current guest (an ARCVM restart sends the new START before the old STOP). A STOP ends
 * the current guest only when it is the same one: a STOP of another type, or of an ARCVM whose cid is not the
 * current one, is stale and ignored.
 */
export function applyGuestMessage(state: GateState, message: GuestMessage): GateStep {
  const guest = guestOf(message);
  if (guest === undefined) return { state, ignored: `guest type ${message.type} has no adbd` };
  if (message.event === GuestEvent.START) return { state: { ...state, guest } };
  if (message.event !== GuestEvent.STOP) return { state, ignored: `unknown guest event ${message.event}` };
  const current = state.guest;
  if (current?.kind !== guest.kind) return { state, ignored: `no ${guest.kind} guest is up` };
  if (current.kind === 'arcvm' && guest.kind === 'arcvm' && guest.cid !== current.cid)
    return { state, ignored: `stale STOP for cid ${guest.cid}, cid ${current.cid} is up` };
  return { state: { ...state, guest: undefined } };
}
