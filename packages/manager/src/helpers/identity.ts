import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors';
import type { HelperIdentity } from './helper-spec';

/** A user's uid and primary gid in passwd(5) text, or undefined. */
export function findUser(user: string, passwd: string): HelperIdentity | undefined {
  for (const line of passwd.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name === user && uid !== undefined && gid !== undefined && /^\d+$/.test(uid) && /^\d+$/.test(gid)) {
      return { uid: Number(uid), gid: Number(gid) };
    }
  }
  return undefined;
}

/** The helpers' identity: a user from passwd(5) text, or a numeric `uid:gid` that needs no lookup. */
export function parseHelperIdentity(user: string, passwd: string): HelperIdentity {
  const numeric = /^(\d+):(\d+)$/.exec(user);
  if (numeric) return { uid: Number(numeric[1]), gid: Number(numeric[2]) };
  const found = findUser(user, passwd);
  if (found) return found;
  throw new ConfigError(
    `helper user "${user}" does not exist; create it (packaging/patchpanel.sysusers) or set helperUser`,
  );
}

export async function resolveHelperIdentity(user: string): Promise<HelperIdentity> {
  const identity = parseHelperIdentity(
    user,
    /^\d+:\d+$/.test(user) ? '' : await readFile('/etc/passwd', 'utf8'),
  );
  if (identity.uid === 0 || identity.gid === 0) {
    throw new ConfigError(`helper user "${user}" is root; helpers must run unprivileged`);
  }
  return identity;
}
