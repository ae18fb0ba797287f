import type { HelperIdentity, HelperSpec } from '../helper-spec';

export type JailKind = 'minijail' | 'bwrap' | 'none';

/** How to exec a helper: the channel is always the child's fd 3. */
export interface LaunchPlan {
  readonly file: string;
  readonly args: readonly string[];
  /** A classic-BPF seccomp program the jailer reads from the child's fd 4, when it needs one. */
  readonly seccompProgram?: Uint8Array;
}

/** A launcher that turns a helper spec into a jailed command line. */
export interface Jail {
  readonly kind: JailKind;
  plan(spec: HelperSpec, identity: HelperIdentity): Promise<LaunchPlan>;
}

export const channelFd = 3;
export const seccompFd = 4;
