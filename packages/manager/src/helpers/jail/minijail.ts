import type { HelperIdentity, HelperSpec } from '../helper-spec';
import { capabilityMask } from './capabilities';
import type { Jail, LaunchPlan } from './jail';

/** ChromeOS's jailer: it reads the minijail policy file itself and compiles it. */
export function minijailJail(nodePath: string = process.execPath): Jail {
  return {
    kind: 'minijail',
    async plan(spec: HelperSpec, identity: HelperIdentity): Promise<LaunchPlan> {
      return {
        file: 'minijail0',
        args: [
          ...['-u', String(identity.uid), '-g', String(identity.gid)],
          ...['-c', `0x${capabilityMask(spec.capabilities).toString(16)}`, '--ambient'],
          // no_new_privs; new IPC, mount and PID namespaces; the policy file.
          ...['-n', '-l', '-v', '-p', '-S', spec.seccompPolicyPath, '--'],
          nodePath,
          spec.entry,
        ],
      };
    },
  };
}
