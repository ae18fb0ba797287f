import type { HelperSpec } from '../helper-spec';
import type { Jail, LaunchPlan } from './jail';

/** Development only: the helper runs with the manager's uid and capabilities. The supervisor logs it loudly. */
export function noJail(nodePath: string = process.execPath): Jail {
  return {
    kind: 'none',
    async plan(spec: HelperSpec): Promise<LaunchPlan> {
      return { file: nodePath, args: [spec.entry] };
    },
  };
}
