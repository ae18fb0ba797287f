import { existsSync } from 'node:fs';
import { ClosedError, InvalidArgumentError, PREFIX_PATTERN } from '../../src';
import { integrationSuite } from '../../src/jest';
import { listNetns } from '../../src/netns';
import { findChildren, findProcessesInNetns, namespaceInode } from '../../src/proc';
import { stateFilePath } from '../../src/state';
import { createTestbed } from '../../src/testbed';
import { survivors } from './helpers';

integrationSuite('test bed core', (ctx) => {
  test('names namespaces with the run prefix and brings loopback up', async () => {
    expect(ctx.bed.prefix).toMatch(PREFIX_PATTERN);
    const a = await ctx.bed.netns('a');
    expect(a.name).toBe(`${ctx.bed.prefix}-a`);
    expect(a.path).toBe(`/run/netns/${a.name}`);
    expect(listNetns()).toContain(a.name);
    const { stdout } = await a.exec(['ip', '-o', 'link', 'show', 'lo']);
    expect(stdout).toMatch(/state UNKNOWN|LOWER_UP/);
    await expect(a.exec(['ping', '-c1', '-W2', '127.0.0.1'])).resolves.toBeDefined();
  });

  test('records the run in its state file', () => {
    expect(existsSync(stateFilePath(ctx.bed.prefix))).toBe(true);
  });

  test('rejects a label used twice and a bad label', async () => {
    await expect(ctx.bed.netns('a')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(ctx.bed.netns('A B')).rejects.toMatchObject({ code: 'PP_ERR_TESTBED_INVALID_ARGUMENT' });
  });

  test('exec rejects with the command stderr', async () => {
    const b = await ctx.bed.netns('b');
    await expect(b.exec(['ip', 'link', 'show', 'nosuchdev'])).rejects.toMatchObject({
      code: 'PP_ERR_TESTBED_COMMAND',
      stderr: expect.stringMatching(/does not exist/),
    });
  });

  test('a veth pair joins two namespaces and carries traffic, MACs as asked', async () => {
    const [x, y] = [await ctx.bed.netns('x'), await ctx.bed.netns('y')];
    await ctx.bed.veth(x, 'vx', y, 'vy', { aMac: '02:00:00:00:0a:01', bMac: '02:00:00:00:0a:02' });
    await x.exec(['ip', 'addr', 'add', '192.0.2.1/24', 'dev', 'vx']);
    await y.exec(['ip', 'addr', 'add', '192.0.2.2/24', 'dev', 'vy']);
    await expect(x.exec(['ping', '-c1', '-W2', '192.0.2.2'])).resolves.toBeDefined();
    expect((await y.exec(['cat', '/sys/class/net/vy/address'])).stdout.trim()).toBe('02:00:00:00:0a:02');
  });

  test('a bridge with two veth ports switches between three namespaces', async () => {
    const [hub, p, q] = [await ctx.bed.netns('hub'), await ctx.bed.netns('p'), await ctx.bed.netns('q')];
    await ctx.bed.veth(hub, 'hp', p, 'eth0');
    await ctx.bed.veth(hub, 'hq', q, 'eth0');
    await ctx.bed.bridge(hub, 'br0', ['hp', 'hq']);
    const { stdout } = await hub.exec(['ip', '-o', 'link', 'show', 'master', 'br0']);
    expect(stdout).toMatch(/hp@/);
    expect(stdout).toMatch(/hq@/);
    await p.exec(['ip', 'addr', 'add', '192.0.2.11/24', 'dev', 'eth0']);
    await q.exec(['ip', 'addr', 'add', '192.0.2.12/24', 'dev', 'eth0']);
    await expect(p.exec(['ping', '-c1', '-W2', '192.0.2.12'])).resolves.toBeDefined();
  });

  test('a container is a long-lived process whose netns is the container netns', async () => {
    const c = await ctx.bed.container('c1');
    expect(c.netns.name).toBe(`${ctx.bed.prefix}-c1`);
    expect(namespaceInode(`/proc/${c.pid}/ns/net`)).toBe(namespaceInode(c.netns.path));
    expect(namespaceInode(`/proc/${c.pid}/ns/net`)).not.toBe(namespaceInode('/proc/self/ns/net'));
  });

  test('spawn waits for readiness and stop ends the process by pid', async () => {
    const ns = await ctx.bed.netns('s');
    const p = await ctx.bed.spawn(ns, ['sh', '-c', 'echo up; exec sleep 60'], { ready: { stdout: /^up$/m } });
    expect(p.running).toBe(true);
    expect(await p.stop()).toEqual({ code: null, signal: 'SIGTERM' });
    expect(p.running).toBe(false);
    await expect(p.stop()).resolves.toEqual({ code: null, signal: 'SIGTERM' });
  });

  test('a process that dies before it is ready rejects with its output', async () => {
    const ns = await ctx.bed.netns('d');
    await expect(
      ctx.bed.spawn(ns, ['sh', '-c', 'echo boom >&2; exit 3'], { ready: { stdout: /never/ } }),
    ).rejects.toMatchObject({ code: 'PP_ERR_TESTBED_PROCESS_EXITED', output: 'boom' });
  });
});

integrationSuite('test bed teardown', () => {
  test('removes every namespace and process it made, also grandchildren, and is idempotent', async () => {
    const childrenBefore = findChildren(process.pid);
    const bed = await createTestbed({ label: 'teardown check' });
    const ns = await bed.netns('t');
    const c = await bed.container('tc');
    // A grandchild the bed never tracked: it must die because it lives in a namespace the bed owns.
    await bed.spawn(ns, ['sh', '-c', 'sleep 300 & echo started; wait'], { ready: { stdout: /started/ } });
    const bus = await bed.dbus();
    const inodes = new Set([namespaceInode(ns.path), namespaceInode(c.netns.path)].map(String));
    const inside = findProcessesInNetns(inodes);
    expect(inside.length).toBeGreaterThanOrEqual(3); // sh, sleep 300, sleep infinity
    const tracked = bed.processes().map((p) => ({ pid: p.pid, startTime: p.startTime }));

    await bed.teardown();

    expect(listNetns().filter((name) => name.startsWith(bed.prefix))).toEqual([]);
    expect(survivors([...inside, ...tracked])).toEqual([]);
    expect(findChildren(process.pid)).toEqual(childrenBefore);
    expect(existsSync(bus.socketPath)).toBe(false);
    expect(existsSync(stateFilePath(bed.prefix))).toBe(false);
    expect(existsSync(bed.runDir)).toBe(false);
    await expect(bed.teardown()).resolves.toBeUndefined();
    await expect(bed.netns('late')).rejects.toBeInstanceOf(ClosedError);
  });
});
