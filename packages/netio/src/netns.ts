import { isMainThread } from 'node:worker_threads';
import { binding } from './binding';
import { callNative, InvalidArgumentError, MainThreadError } from './errors';
import { assertInteger, assertInterfaceName } from './validate';

/**
 * A network namespace: a path to an nsfs file, a process whose namespace to use (/proc/<pid>/ns/net),
 * or a name made by `ip netns add` (/run/netns/<name>).
 */
export type NetnsTarget = { path: string } | { pid: number } | { name: string };

const NETNS_NAME = /^[A-Za-z0-9_.-]+$/;

export function netnsPath(target: NetnsTarget): string {
  if ('path' in target) {
    if (typeof target.path !== 'string' || !target.path.startsWith('/')) {
      throw new InvalidArgumentError(`netns path must be absolute, got ${String(target.path)}`);
    }
    return target.path;
  }
  if ('pid' in target) {
    assertInteger('netns pid', target.pid, 1, 0x3fffffff);
    return `/proc/${target.pid}/ns/net`;
  }
  if (typeof target.name !== 'string' || !NETNS_NAME.test(target.name) || /^\.+$/.test(target.name)) {
    throw new InvalidArgumentError(`not a netns name: ${String(target.name)}`);
  }
  return `/run/netns/${target.name}`;
}

/** The path handed to the addon: null means the calling thread's own namespace. */
export function optionalNetnsPath(target: NetnsTarget | undefined): string | null {
  return target === undefined ? null : netnsPath(target);
}

export interface SocketSpec {
  domain: number;
  type: number;
  protocol: number;
}

/**
 * Creates a socket inside another network namespace and returns its fd (O_CLOEXEC). A short-lived native
 * thread joins the namespace and creates the socket; the calling thread never moves. The socket keeps working
 * in that namespace; the caller owns the fd (fs.closeSync). Example: a NETLINK_ROUTE socket in a guest.
 */
export function openSocketInNetns(target: NetnsTarget, spec: SocketSpec): number {
  assertInteger('domain', spec.domain, 0, 255);
  assertInteger('type', spec.type, 0, 0x7fffffff);
  assertInteger('protocol', spec.protocol, 0, 0xffff);
  const path = netnsPath(target);
  return callNative(`open socket in ${path}`, () =>
    binding().openSocket(spec.domain, spec.type, spec.protocol, path),
  );
}

/** if_nametoindex, in the given namespace (default: the calling thread's). */
export function interfaceIndex(name: string, netns?: NetnsTarget): number {
  assertInterfaceName('interface', name);
  const path = optionalNetnsPath(netns);
  return callNative(`interface index of ${name}`, () => binding().interfaceIndex(name, path));
}

/**
 * Moves the calling worker thread into a namespace for the rest of its life. Throws on the main thread: every
 * other part of the process (libuv's threadpool, DNS, timers) assumes the main thread stays where it started.
 */
export function joinNetnsOnWorkerThread(target: NetnsTarget): void {
  if (isMainThread) throw new MainThreadError();
  const path = netnsPath(target);
  callNative(`enter ${path}`, () => binding().setnsCurrentThread(path));
}

/**
 * Names the namespace of `target` as /run/netns/<name> for `ip netns exec`, as `ip netns attach` does (a bind
 * mount, /run/netns made a shared mount point first), without a process. EEXIST when the name is taken.
 */
export function nameNetns(target: NetnsTarget, name: string): void {
  const source = netnsPath(target);
  const path = netnsPath({ name });
  callNative(`name ${source} as ${path}`, () => binding().nameNetns(source, path));
}

/** Removes a name given by nameNetns or `ip netns add`; a name that is gone already counts as removed. */
export function removeNetnsName(name: string): void {
  const path = netnsPath({ name });
  callNative(`remove ${path}`, () => binding().unnameNetns(path));
}
