export interface RestartBackoffPolicy {
  /** Delay before the first restart. */
  readonly initialMs: number;
  /** The delay doubles per consecutive crash up to this bound; there is no restart limit. */
  readonly maxMs: number;
  /** A helper that ran this long before dying counts as healthy: its next restart starts from initialMs again. */
  readonly healthyAfterMs: number;
}

export const defaultRestartBackoff: RestartBackoffPolicy = {
  initialMs: 100,
  maxMs: 30_000,
  healthyAfterMs: 60_000,
};

/** Exponential restart delays for one helper. Pure: the caller supplies how long the helper lived. */
export class RestartBackoff {
  private consecutiveCrashes = 0;

  constructor(private readonly policy: RestartBackoffPolicy = defaultRestartBackoff) {}

  /** The delay before restarting a helper that died after running for `uptimeMs`. */
  nextDelay(uptimeMs: number): number {
    if (uptimeMs >= this.policy.healthyAfterMs) this.consecutiveCrashes = 0;
    // The exponent is bounded so a helper that crash-loops for days never overflows to Infinity.
    const exponent = Math.min(this.consecutiveCrashes, 30);
    this.consecutiveCrashes += 1;
    return Math.min(this.policy.maxMs, this.policy.initialMs * 2 ** exponent);
  }
}
