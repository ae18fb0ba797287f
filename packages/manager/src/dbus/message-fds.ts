// The unix fds a decoded D-Bus message body holds. dbus-next turns each `h` into an fd number of this process
// and leaves closing it to whoever handles the call; a call nobody handles would leak them.

interface TypeNode {
  readonly code: string;
  readonly children: readonly TypeNode[];
}

const closers: Readonly<Record<string, string>> = { '(': ')', '{': '}' };

/** Parses a D-Bus signature into single complete types; throws on a malformed one. */
export function parseSignature(signature: string): TypeNode[] {
  let index = 0;
  const one = (): TypeNode => {
    const code = signature[index++];
    if (code === undefined) throw new SyntaxError(`signature "${signature}" ends early`);
    if (code === 'a') return { code, children: [one()] };
    const closer = closers[code];
    if (closer === undefined) return { code, children: [] };
    const children: TypeNode[] = [];
    while (signature[index] !== closer) children.push(one());
    index++;
    return { code, children };
  };
  const types: TypeNode[] = [];
  while (index < signature.length) types.push(one());
  return types;
}

function collect(type: TypeNode, value: unknown, into: number[]): void {
  if (type.code === 'h') {
    if (typeof value === 'number') into.push(value);
  } else if (type.code === 'a' && type.children[0]?.code === '{') {
    // dbus-next decodes a{kv} into an object keyed by k (an fd key becomes its number as a string).
    const [keyType, valueType] = type.children[0].children;
    if (keyType && valueType && value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (keyType.code === 'h') into.push(Number(key));
        collect(valueType, item, into);
      }
    }
  } else if (type.code === 'a' && Array.isArray(value)) {
    const itemType = type.children[0];
    if (itemType) for (const item of value) collect(itemType, item, into);
  } else if (type.code === '(' && Array.isArray(value)) {
    type.children.forEach((child, i) => {
      collect(child, value[i], into);
    });
  } else if (type.code === 'v' && isVariant(value)) {
    const [inner] = parseSignature(value.signature);
    if (inner) collect(inner, value.value, into);
  }
}

function isVariant(value: unknown): value is { signature: string; value: unknown } {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'signature') === 'string';
}

/** Every fd in `body` (decoded by dbus-next for `signature`), in order. */
export function fdsInBody(signature: string, body: readonly unknown[]): number[] {
  const fds: number[] = [];
  parseSignature(signature).forEach((type, i) => {
    collect(type, body[i], fds);
  });
  return fds;
}
