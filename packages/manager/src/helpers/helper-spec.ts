export const helperNames = ['ndproxy-helper', 'mcast-helper', 'adb-proxy'] as const;
export type HelperName = (typeof helperNames)[number];

export type Capability = 'NET_RAW' | 'NET_ADMIN';

/** What the supervisor needs to know to start one helper. */
export interface HelperSpec {
  readonly name: HelperName;
  /** Absolute path of the helper's main script, run by the same Node binary as the manager. */
  readonly entry: string;
  /** The only capabilities the helper keeps (effective, permitted, inheritable, ambient and bounding). */
  readonly capabilities: readonly Capability[];
  /** minijail text policy; the bwrap jail compiles it to BPF. */
  readonly seccompPolicyPath: string;
  /** Added to the manager's environment for this helper, e.g. its configuration. */
  readonly env?: Readonly<Record<string, string>>;
}

/** The unprivileged identity helpers run as. */
export interface HelperIdentity {
  readonly uid: number;
  readonly gid: number;
}
