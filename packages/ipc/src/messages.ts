// Friendly names for the classes and enums protobufjs generates from ipc.proto (gen/ is built by `npm run build`).
import { patchpanel } from '../gen/ipc';

/** Version of the protocol spoken by this build; a helper reports it in HelperReadyMessage. */
export const IPC_PROTOCOL_VERSION = 1;

export const IpHelperMessage = patchpanel.IpHelperMessage;
export type IpHelperMessage = patchpanel.IpHelperMessage;
export const GuestMessage = patchpanel.GuestMessage;
export type GuestMessage = patchpanel.GuestMessage;
export const DeviceMessage = patchpanel.DeviceMessage;
export type DeviceMessage = patchpanel.DeviceMessage;
export const NDProxyMessage = patchpanel.NDProxyMessage;
export type NDProxyMessage = patchpanel.NDProxyMessage;
export const HelperReadyMessage = patchpanel.HelperReadyMessage;
export type HelperReadyMessage = patchpanel.HelperReadyMessage;
export const StateReplayMessage = patchpanel.StateReplayMessage;
export type StateReplayMessage = patchpanel.StateReplayMessage;

export const AdbPolicyMessage = patchpanel.AdbPolicyMessage;
export type AdbPolicyMessage = patchpanel.AdbPolicyMessage;

export const GuestType = patchpanel.GuestMessage.GuestType;
export type GuestType = patchpanel.GuestMessage.GuestType;
export const GuestEvent = patchpanel.GuestMessage.GuestEvent;
export type GuestEvent = patchpanel.GuestMessage.GuestEvent;
export const NDProxyEventType = patchpanel.NDProxyMessage.NDProxyEventType;
export type NDProxyEventType = patchpanel.NDProxyMessage.NDProxyEventType;
export const HelperKind = patchpanel.HelperReadyMessage.HelperKind;
export type HelperKind = patchpanel.HelperReadyMessage.HelperKind;
export const ReplayPhase = patchpanel.StateReplayMessage.Phase;
export type ReplayPhase = patchpanel.StateReplayMessage.Phase;

/** Name of a case of the envelope's `message_type` oneof, e.g. `'guestMessage'`. Derived from the schema. */
export type MessageCase = NonNullable<patchpanel.IpHelperMessage['messageType']>;

/** What a sender writes for each case: required fields must be set, optional ones may be left out. */
export type MessageFields = {
  [K in MessageCase]: NonNullable<patchpanel.IpHelperMessage.$Properties[K]>;
};

/** A decoded message of each case. An optional field that was absent on the wire reads as `null`. */
export type MessageByCase = CoversEveryCase<{
  guestMessage: GuestMessage;
  deviceMessage: DeviceMessage;
  ndproxyMessage: NDProxyMessage;
  helperReadyMessage: HelperReadyMessage;
  stateReplayMessage: StateReplayMessage;
  adbPolicyMessage: AdbPolicyMessage;
}>;
type CoversEveryCase<
  T extends Record<MessageCase, unknown> & { [K in Exclude<keyof T, MessageCase>]: never },
> = T;

/** An envelope to send: exactly one case set, e.g. `{ guestMessage: { type, event } }`. */
export type Envelope = {
  [K in MessageCase]: { [P in K]: MessageFields[K] } & { [P in Exclude<MessageCase, K>]?: never };
}[MessageCase];

/** A received envelope of one of the cases in `K`, tagged with its case. */
export type Received<K extends MessageCase = MessageCase> = {
  [P in K]: { readonly kind: P; readonly message: MessageByCase[P] };
}[K];
