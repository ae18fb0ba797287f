import { readFile } from 'node:fs/promises';
import type { HelperIdentity, HelperSpec } from '../helper-spec';
import { compileSeccompPolicy } from '../seccomp/compile';
import { parseSeccompPolicy } from '../seccomp/policy';
import { setprivCapabilityList } from './capabilities';
import { type Jail, type LaunchPlan, seccompFd } from './jail';

/** setpriv, then node: the helper's uid and gid, only its capabilities, no_new_privs. */
export function setprivCommand(nodePath: string, spec: HelperSpec, identity: HelperIdentity): string[] {
  const caps = setprivCapabilityList(spec.capabilities);
  return [
    'setpriv',
    `--reuid=${identity.uid}`,
    `--regid=${identity.gid}`,
    '--clear-groups',
    `--inh-caps=${caps}`,
    `--ambient-caps=${caps}`,
    `--bounding-set=${caps}`,
    '--no-new-privs',
    nodePath,
    spec.entry,
  ];
}

/**
 * bwrap as root without a user namespace (a user namespace would make the capabilities useless in the host
 * network namespace), then setpriv to drop to the helper's uid with only its capabilities, then node.
 * bwrap refuses to start from a process that already dropped to a non-root uid with capabilities, so the
 * order cannot be swapped. The seccomp program covers setpriv's own syscalls too.
 */
export function bwrapJail(nodePath: string = process.execPath): Jail {
  return {
    kind: 'bwrap',
    async plan(spec: HelperSpec, identity: HelperIdentity): Promise<LaunchPlan> {
      const policy = parseSeccompPolicy(
        await readFile(spec.seccompPolicyPath, 'utf8'),
        spec.seccompPolicyPath,
      );
      const keep = ['CAP_SETUID', 'CAP_SETGID', 'CAP_SETPCAP', ...spec.capabilities.map((c) => `CAP_${c}`)];
      return {
        file: 'bwrap',
        args: [
          // The whole tree read-only (the helper's own code may live anywhere, /tmp included), a private
          // /dev and /proc; nothing the helper can write to.
          ...['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'],
          ...['--unshare-pid', '--unshare-ipc', '--die-with-parent', '--new-session'],
          '--cap-drop',
          'ALL',
          ...keep.flatMap((cap) => ['--cap-add', cap]),
          ...['--seccomp', String(seccompFd), '--'],
          ...setprivCommand(nodePath, spec, identity),
        ],
        seccompProgram: compileSeccompPolicy(policy),
      };
    },
  };
}
