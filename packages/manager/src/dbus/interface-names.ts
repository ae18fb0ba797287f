const allowed = /^[A-Za-z0-9.-]*$/;

/** Kernel interface names are at most 15 characters (IFNAMSIZ 16 with the NUL). */
export const MAX_INTERFACE_NAME_LENGTH = 15;

/**
 * The interface-name rule of ModifyPortRule (spec §8.1), also used for ConnectNamespace's outbound device:
 * shorter than 16 characters, only ASCII letters, digits, '-' and '.', not starting or ending with '-' or '.'.
 * The empty string passes; callers decide whether a name is required.
 */
export function isValidInterfaceName(name: string): boolean {
  if (name.length > MAX_INTERFACE_NAME_LENGTH || !allowed.test(name)) return false;
  return !/^[-.]|[-.]$/.test(name);
}
