import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { integrationSuite } from '@patchpanel/testbed';
import { AF_NETLINK, NETLINK_ROUTE, SOCK_RAW } from '../../src/constants';
import {
  interfaceIndex,
  joinNetnsOnWorkerThread,
  nameNetns,
  openSocketInNetns,
  removeNetnsName,
} from '../../src/netns';
import { NetnsWorker, runInNetns } from '../../src/netns-worker';
import { ipv4Bytes } from '../support/frames';
import { addIpv4Address } from '../support/rtnetlink';

const TASKS = path.join(__dirname, 'fixtures', 'netns-task.js');
const ownNetns = () => readlinkSync('/proc/thread-self/ns/net');

integrationSuite('netio namespaces', (ctx) => {
  test('an address created from the main process is read back inside the guest', async () => {
    const guest = await ctx.bed.container('ns-guest');
    const before = ownNetns();
    const rtnl = openSocketInNetns(
      { pid: guest.pid },
      { domain: AF_NETLINK, type: SOCK_RAW, protocol: NETLINK_ROUTE },
    );
    try {
      addIpv4Address(rtnl, interfaceIndex('lo', { pid: guest.pid }), ipv4Bytes('10.55.0.1'), 24);
    } finally {
      closeSync(rtnl);
    }
    expect(ownNetns()).toBe(before); // the main thread never moved

    const { stdout } = await guest.netns.exec(['ip', '-4', '-o', 'addr', 'show', 'dev', 'lo']);
    expect(stdout).toContain('10.55.0.1/24');
    const seenThere = await runInNetns<string[]>(
      { pid: guest.pid },
      { module: TASKS, fn: 'ipv4Addresses', args: ['lo'] },
    );
    expect(seenThere).toContain('10.55.0.1/24');
    const seenHere = await runInNetns<string[]>(
      { path: '/proc/self/ns/net' },
      { module: TASKS, fn: 'ipv4Addresses', args: ['lo'] },
    );
    expect(seenHere).not.toContain('10.55.0.1/24');
  });

  test('a name given without ip: ip netns exec enters the process namespace; removal is idempotent', async () => {
    const guest = await ctx.bed.container('ns-named');
    const name = `${ctx.bed.prefix}-named`;
    nameNetns({ pid: guest.pid }, name);
    try {
      const path = `/run/netns/${name}`;
      expect(statSync(path).ino).toBe(statSync(`/proc/${guest.pid}/ns/net`).ino);
      const inside = execFileSync('ip', ['netns', 'exec', name, 'readlink', '/proc/self/ns/net'], {
        encoding: 'utf8',
      });
      expect(inside.trim()).toBe(`net:[${statSync(guest.netns.path).ino}]`);
      expect(() => nameNetns({ pid: guest.pid }, name)).toThrow(
        expect.objectContaining({ errnoName: 'EEXIST' }),
      );
      expect(() => nameNetns({ pid: guest.pid }, '../etc')).toThrow(
        expect.objectContaining({ code: 'PP_ERR_NETIO_INVALID_ARGUMENT' }),
      );
      removeNetnsName(name);
      expect(existsSync(path)).toBe(false);
      removeNetnsName(name);
      // A plain file there (a bind interrupted before its mount) is removed too.
      writeFileSync(path, '');
      removeNetnsName(name);
      expect(existsSync(path)).toBe(false);
    } finally {
      removeNetnsName(name);
    }
  });

  test('a task closing an fd the addon opened makes Node print no warning', async () => {
    const ns = await ctx.bed.netns('ns-fds');
    const script = `
      const { NetnsWorker } = require(${JSON.stringify(path.join(__dirname, '../../dist'))});
      (async () => {
        const worker = await NetnsWorker.start({ pid: process.pid });
        await worker.run({ module: ${JSON.stringify(TASKS)}, fn: 'openAndCloseSocket' });
        await worker.close();
      })();`;
    const { stderr } = await ns.exec([process.execPath, '-e', script]);
    expect(stderr).toBe('');
  });

  test('a worker in the namespace runs several tasks there, and its children inherit the namespace', async () => {
    const guest = await ctx.bed.netns('ns-worker');
    const worker = await NetnsWorker.start(guest);
    try {
      const expected = `net:[${statSync(guest.path).ino}]`;
      expect(await worker.run({ module: TASKS, fn: 'threadNetns' })).toBe(expected);
      await worker.run({ module: TASKS, fn: 'addAddressWithIp', args: ['10.66.0.1/24', 'lo'] });
      expect(await worker.run({ module: TASKS, fn: 'ipv4Addresses', args: ['lo'] })).toContain(
        '10.66.0.1/24',
      );
      const { stdout } = await guest.exec(['ip', '-4', '-o', 'addr', 'show', 'dev', 'lo']);
      expect(stdout).toContain('10.66.0.1/24');
      await expect(worker.run({ module: TASKS, fn: 'fail' })).rejects.toMatchObject({
        code: 'PP_ERR_NETIO_NETNS_TASK',
        cause: { code: 'E_TASK' },
      });
      await expect(worker.run({ module: 'relative.js', fn: 'x' })).rejects.toMatchObject({
        code: 'PP_ERR_NETIO_INVALID_ARGUMENT',
      });
    } finally {
      await worker.close();
    }
    await expect(worker.run({ module: TASKS, fn: 'threadNetns' })).rejects.toMatchObject({
      code: 'PP_ERR_NETIO_CLOSED',
    });
    await expect(worker.close()).rejects.toMatchObject({ code: 'PP_ERR_NETIO_CLOSED' });
  });

  test('bad targets are errors, and the main thread refuses to move', async () => {
    await expect(NetnsWorker.start({ name: 'ppx-no-such-netns' })).rejects.toMatchObject({
      code: 'PP_ERR_NETIO_SYSCALL',
      errnoName: 'ENOENT',
    });
    await expect(NetnsWorker.start({ path: '/proc/self/status' })).rejects.toMatchObject({
      errnoName: 'EINVAL',
    });
    expect(() =>
      openSocketInNetns({ pid: 0x3ffffffe }, { domain: AF_NETLINK, type: SOCK_RAW, protocol: 0 }),
    ).toThrow(expect.objectContaining({ errnoName: 'ENOENT' }));
    expect(() => interfaceIndex('nosuch0')).toThrow(expect.objectContaining({ errnoName: 'ENODEV' }));
    expect(() => joinNetnsOnWorkerThread({ pid: process.pid })).toThrow(
      expect.objectContaining({ code: 'PP_ERR_NETIO_MAIN_THREAD' }),
    );
  });
});
