// The message classes protobufjs generates from proto/patchpanel_service.proto (gen/ is built by
// `npm run build -w @patchpanel/manager`), and the one place where request bytes are decoded.
import { UndecodableRequestError } from './errors';

export { patchpanel } from '../../gen/patchpanel_service';

/** No request of the implemented methods comes near this; anything larger is refused before decoding. */
export const MAX_REQUEST_BYTES = 4096;

/** A generated message class, as far as decoding goes. */
export interface Decoder<T> {
  readonly name: string;
  decode(bytes: Uint8Array): T;
}

/** Decodes one request message; truncated, malformed or oversized input becomes an UndecodableRequestError. */
export function decodeRequest<T>(type: Decoder<T>, bytes: Uint8Array): T {
  if (bytes.length > MAX_REQUEST_BYTES) {
    throw new UndecodableRequestError(
      `${type.name} of ${bytes.length} bytes exceeds the ${MAX_REQUEST_BYTES}-byte limit`,
    );
  }
  try {
    return type.decode(bytes);
  } catch (cause) {
    throw new UndecodableRequestError(`cannot decode ${type.name}`, { cause });
  }
}

/** The serialized message as the Buffer dbus-next sends for `ay`. */
export function toAy(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
