import type { KernelRoute, KernelRule } from '../../src/devices/netlink/kernel-objects';

const RTPROT_BOOT = 3;
const RTPROT_KERNEL = 2;
const RT_SCOPE_LINK = 253;

/** A main-table IPv4 unicast route; override what the test is about. */
export function route(fields: Partial<KernelRoute>): KernelRoute {
  return {
    family: 4,
    table: 254,
    dst: fields.family === 6 ? '::' : '0.0.0.0',
    dstLen: 0,
    tos: 0,
    metric: 0,
    oif: 2,
    gateway: undefined,
    prefsrc: undefined,
    type: 1,
    scope: 0,
    protocol: RTPROT_BOOT,
    onlink: false,
    multipath: false,
    ...fields,
  };
}

export function defaultVia(oif: number, gateway: string, metric = 0, family: 4 | 6 = 4): KernelRoute {
  return route({ family, oif, gateway, metric });
}

export function connected(oif: number, dst: string, dstLen: number, prefsrc?: string): KernelRoute {
  return route({
    oif,
    dst,
    dstLen,
    prefsrc,
    scope: RT_SCOPE_LINK,
    protocol: RTPROT_KERNEL,
    family: dst.includes(':') ? 6 : 4,
  });
}

export function rule(fields: Partial<KernelRule>): KernelRule {
  return {
    family: 4,
    priority: 1000,
    table: 1002,
    action: 1,
    fwmark: 1002 * 0x10000,
    fwmask: 0xffff0000,
    protocol: 112,
    ...fields,
  };
}
