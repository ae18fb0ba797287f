import {
  type DeviceChange,
  deviceEnvelope,
  type Envelope,
  GuestEvent,
  type MessageFields,
  readDeviceMessage,
} from '@patchpanel/ipc';

type GuestFields = MessageFields['guestMessage'];
type AdbPolicyFields = MessageFields['adbPolicyMessage'];

/**
 * What one helper must know to be in sync: the ADB policy, the guests that are up and the forwarding pairs,
 * reduced from the messages the manager sent it. After a restart the supervisor replays `snapshot()` to the new process.
 */
export class HelperState {
  /** Per guest type: the latest START and how many guests of that type are up (VM messages carry no id). */
  private readonly guests = new Map<number, { start: GuestFields; up: number }>();
  /** Forwarding pairs by upstream, then guest-facing interface. */
  private readonly pairs = new Map<string, Set<string>>();
  /** The latest ADB policy sent. */
  private adbPolicy: AdbPolicyFields | undefined;

  record(envelope: Envelope): void {
    if (envelope.guestMessage) this.recordGuest(envelope.guestMessage);
    if (envelope.deviceMessage) this.recordDevice(readDeviceMessage(envelope.deviceMessage));
    if (envelope.adbPolicyMessage) this.adbPolicy = envelope.adbPolicyMessage;
  }

  /** The policy, then guests, so a helper knows what runs before it learns the pairs that serve them. */
  snapshot(): Envelope[] {
    const policy = this.adbPolicy ? [{ adbPolicyMessage: this.adbPolicy }] : [];
    const guests = [...this.guests.values()].map(({ start }) => ({ guestMessage: start }));
    const pairs = [...this.pairs].flatMap(([upstream, guests]) =>
      [...guests].map((guest) => deviceEnvelope({ action: 'start', upstream, guest })),
    );
    return [...policy, ...guests, ...pairs];
  }

  private recordGuest(message: GuestFields): void {
    const current = this.guests.get(message.type);
    if (message.event === GuestEvent.START) {
      this.guests.set(message.type, { start: message, up: (current?.up ?? 0) + 1 });
    } else if (message.event === GuestEvent.STOP && current) {
      if (current.up > 1) current.up -= 1;
      else this.guests.delete(message.type);
    }
  }

  private recordDevice(change: DeviceChange): void {
    if (change.action === 'start') {
      const guests = this.pairs.get(change.upstream) ?? new Set<string>();
      this.pairs.set(change.upstream, guests.add(change.guest));
    } else if (change.action === 'stop') {
      const guests = this.pairs.get(change.upstream);
      guests?.delete(change.guest);
      if (guests?.size === 0) this.pairs.delete(change.upstream);
    } else if (change.action === 'remove-upstream') {
      this.pairs.delete(change.upstream);
    }
  }
}
