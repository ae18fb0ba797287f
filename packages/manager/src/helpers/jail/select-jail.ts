import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { JailError } from '../../errors';
import { bwrapJail } from './bwrap';
import type { Jail, JailKind } from './jail';
import { minijailJail } from './minijail';
import { noJail } from './no-jail';

async function onPath(command: string): Promise<boolean> {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    try {
      await access(path.join(dir, command), constants.X_OK);
      return true;
    } catch {}
  }
  return false;
}

/** The jail asked for, or the best one installed: minijail0 (ChromeOS), else bwrap with setpriv. */
export async function selectJail(requested?: JailKind): Promise<Jail> {
  const kind = requested ?? ((await onPath('minijail0')) ? 'minijail' : 'bwrap');
  const needs: Record<JailKind, string[]> = {
    minijail: ['minijail0'],
    bwrap: ['bwrap', 'setpriv'],
    none: [],
  };
  for (const command of needs[kind]) {
    if (!(await onPath(command)))
      throw new JailError(`jail "${kind}" needs ${command}, which is not installed`);
  }
  const jails: Record<JailKind, () => Jail> = { minijail: minijailJail, bwrap: bwrapJail, none: noJail };
  return jails[kind]();
}
