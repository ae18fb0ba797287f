import type { Capability } from '../helper-spec';

const bits: Record<Capability, number> = { NET_ADMIN: 12, NET_RAW: 13 };

/** The kernel's capability bit mask, as minijail's `-c` takes it. */
export function capabilityMask(caps: readonly Capability[]): bigint {
  return caps.reduce((mask, cap) => mask | (1n << BigInt(bits[cap])), 0n);
}

/** setpriv's list syntax: drop everything, then add back each capability. */
export function setprivCapabilityList(caps: readonly Capability[]): string {
  return ['-all', ...caps.map((cap) => `+${cap.toLowerCase()}`)].join(',');
}
