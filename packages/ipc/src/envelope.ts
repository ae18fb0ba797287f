// The envelope codec: typed messages <-> frame payloads. Pure, no I/O.
import { DecodeError, InvalidMessageError } from './errors';
import { type Envelope, IpHelperMessage, type MessageByCase, type Received } from './messages';

/**
 * Verifies `envelope` against the schema and encodes it.
 * Throws InvalidMessageError if a field has the wrong type, a required field is missing, an enum value is
 * unknown, or not exactly one case is set.
 */
export function encodeEnvelope(envelope: Envelope): Uint8Array {
  const problem = IpHelperMessage.verify(envelope);
  if (problem !== null) {
    throw new InvalidMessageError(`invalid envelope: ${problem}`);
  }
  if (IpHelperMessage.create(envelope).messageType === undefined) {
    throw new InvalidMessageError('invalid envelope: no message case set');
  }
  return IpHelperMessage.encode(envelope).finish();
}

/**
 * Decodes a frame payload. Returns undefined for an envelope with no case this build knows: an empty one, or
 * one whose only field is a case added by a newer peer (protobuf skips unknown fields).
 * Throws DecodeError, with the protobufjs error as `cause`, for bytes that are not a valid envelope.
 */
export function decodeEnvelope(payload: Uint8Array): Received | undefined {
  let envelope: IpHelperMessage;
  try {
    envelope = IpHelperMessage.decode(payload);
  } catch (cause) {
    throw new DecodeError(`undecodable envelope: ${describe(cause)}`, { cause });
  }
  const kind = envelope.messageType;
  if (kind === undefined) {
    return undefined;
  }
  // The generated class types a set case as its plain properties; decode always builds the message class.
  return { kind, message: envelope[kind] as MessageByCase[typeof kind] } as Received;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
