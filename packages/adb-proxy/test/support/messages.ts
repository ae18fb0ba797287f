import { type Envelope, GuestEvent, GuestMessage, GuestType, type MessageFields } from '@patchpanel/ipc';

/** The vsock cid of the ARCVM that is up in these tests, and the pid of the ARC++ container. */
export const ARCVM_CID = 33;
export const ARC_PID = 4242;

/** A guest message as the manager writes it. */
export type GuestFields = MessageFields['guestMessage'];

export const arcvm = (event: GuestEvent, cid: number = ARCVM_CID): GuestFields => ({
  type: GuestType.ARC_VM,
  event,
  arcvmVsockCid: cid,
});
export const arc = (event: GuestEvent, pid: number = ARC_PID): GuestFields => ({
  type: GuestType.ARC,
  event,
  arcPid: pid,
});

/** The same message decoded, as the helper's handler receives it (absent ids read as null). */
export const decoded = (fields: GuestFields): GuestMessage => GuestMessage.create(fields);

/** Envelopes the manager sends the helper. */
export const policyEnvelope = (allowed: boolean): Envelope => ({ adbPolicyMessage: { allowed } });
export const guestEnvelope = (guestMessage: GuestFields): Envelope => ({ guestMessage });

export { GuestEvent, GuestType };
