import { existsSync } from 'node:fs';
import path from 'node:path';
import { integrationSuite } from '@patchpanel/testbed';
import { type DaemonHarness, startDaemonHarness } from '../guests/daemon-harness';
import { CLI_MAIN, eventually, runCli } from './cli-process';

const policyFile = path.resolve(__dirname, '../../../../../packaging/dbus/org.chromium.PatchPanel.conf');

const forwardTo = (operation: string, dstIp: string) => [
  ...['port-rule', operation, '--type', 'forwarding', '--proto', 'tcp', '--port', '8080'],
  ...['--ifname', 'eth0', '--dst-ip', dstIp, '--dst-port', '8000'],
];

integrationSuite('the patchpanel CLI against a real daemon', (ctx) => {
  let h: DaemonHarness;
  const cli = (...args: string[]) => runCli(['--bus-address', h.busAddress, ...args]);

  beforeAll(async () => {
    h = await startDaemonHarness(ctx);
  });

  afterAll(async () => {
    await h.daemon.stop({ graceMs: 5000 });
  });

  /** `patchpanel connect-ns` for a new container, running until it prints its last result line. */
  async function holdConnection(label: string, ...flags: string[]) {
    const guest = await ctx.bed.container(label);
    const argv = [
      CLI_MAIN,
      '--bus-address',
      h.busAddress,
      ...flags,
      'connect-ns',
      '--pid',
      String(guest.pid),
    ];
    const holder = await ctx.bed.spawn(h.vh.host, [process.execPath, ...argv], {
      ready: { stdout: /peer_?ipv4/i, stderr: /holding the lifeline/, timeoutMs: 10_000 },
    });
    return { guest, holder };
  }

  test('connect-ns prints the addresses, holds the lifeline, and SIGINT makes the daemon disconnect', async () => {
    const { guest, holder } = await holdConnection('guest1');
    const printed = holder.output();
    const hostIfname = /^host_ifname\s+(arc_ns\d+)$/m.exec(printed)?.[1];
    expect(printed).toMatch(/^subnet\s+100\.115\.92\.\d+\/30$/m);
    expect(printed).toMatch(/^peer_ipv4\s+100\.115\.92\.\d+$/m);
    expect(hostIfname).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(holder.running).toBe(true); // it holds: the namespace stays connected
    expect(await h.hostLinks()).toContain(`${hostIfname}@`);
    const peer = /^peer_ifname\s+(\S+)$/m.exec(printed)?.[1] ?? 'none';
    expect((await guest.netns.exec(['ip', '-o', 'link'])).stdout).toContain(`${peer}@`);

    process.kill(holder.pid, 'SIGINT');
    expect(await holder.exited).toEqual({ code: 0, signal: null });
    expect(holder.output()).toMatch(/SIGINT: released the lifeline/);
    const netnsName = `${h.netnsPrefix}${hostIfname!.replace('arc_ns', '')}`;
    await eventually(
      async () => !existsSync(`/run/netns/${netnsName}`) && !(await h.hostLinks()).includes(`${hostIfname}@`),
      2000,
      `${hostIfname} and ${netnsName} to go`,
    );
  });

  test('connect-ns --json prints one JSON document; SIGTERM releases too', async () => {
    const { holder } = await holdConnection('guest2', '--json');
    const documents = holder
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    expect(documents).toHaveLength(1);
    const connection = JSON.parse(documents[0]!);
    expect(connection).toMatchObject({
      subnet: { prefixLength: 30 },
      hostIfname: expect.stringMatching(/^arc_ns\d+$/),
      peerIpv4: expect.stringMatching(/^100\.115\.92\.\d+$/),
    });
    process.kill(holder.pid, 'SIGTERM');
    expect(await holder.exited).toEqual({ code: 0, signal: null });
    await eventually(
      async () => !(await h.hostLinks()).includes(`${connection.hostIfname}@`),
      2000,
      `${connection.hostIfname} to go`,
    );
  });

  test('a refused ConnectNamespace (pid 1) exits 1 with a message and prints nothing', async () => {
    const result = await cli('connect-ns', '--pid', '1');
    expect(result).toMatchObject({ status: 1, stdout: '' });
    expect(result.stderr).toMatch(/ConnectNamespace for pid 1 was refused \(the daemon logs why\)/);
  });

  test('port-rule create and delete succeed and change the firewall; a second delete is refused', async () => {
    const rules = () => h.hostRules();
    const created = await cli(...forwardTo('create', '100.115.92.130'));
    expect(created).toMatchObject({ status: 0, stderr: '' });
    expect(created.stdout).toMatch(/^rule\s+forwarding tcp eth0:8080 -> 100\.115\.92\.130:8000$/m);
    expect(created.stdout).toMatch(/^success\s+true$/m);
    expect(await rules()).toMatch(/dport 8080 .*dnat ip to 100\.115\.92\.130:8000/);

    const deleted = await cli('--json', ...forwardTo('delete', '100.115.92.130'));
    expect(deleted.status).toBe(0);
    expect(JSON.parse(deleted.stdout)).toMatchObject({ operation: 'delete', success: true });
    expect(await rules()).not.toContain('100.115.92.130:8000');

    const again = await cli(...forwardTo('delete', '100.115.92.130'));
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/ModifyPortRule delete forwarding was refused/);
  });

  test('devices answers, in both output forms', async () => {
    expect(await cli('devices')).toMatchObject({ status: 0, stdout: 'no devices\n' });
    const json = await cli('--json', 'devices');
    expect(JSON.parse(json.stdout)).toEqual({ devices: [] });
  });

  test('bad arguments exit 2 before any bus is contacted', async () => {
    // A bus that does not exist: had the CLI tried to use it, it would exit 1 with ENOENT.
    const nowhere = ['--bus-address', 'unix:path=/nonexistent/bus'];
    const badIp = await runCli([...nowhere, ...forwardTo('create', '1.2.3')]);
    expect(badIp).toMatchObject({ status: 2, stdout: '' });
    expect(badIp.stderr).toMatch(/^patchpanel: option '--dst-ip <ip>' argument '1\.2\.3' is invalid/);
    const noPid = await runCli([...nowhere, 'connect-ns']);
    expect(noPid).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/required option '--pid <pid>'/),
    });
    expect(
      (await cli('port-rule', 'create', '--type', 'lockdown', '--proto', 'tcp', '--port', '0')).status,
    ).toBe(2);
  });

  test('no daemon on the bus, or no bus at all: exit 1 with a hint', async () => {
    const empty = await ctx.bed.dbus({ policyFile });
    const absent = await runCli(['--bus-address', empty.address, 'devices']);
    expect(absent.status).toBe(1);
    expect(absent.stderr).toMatch(/is patchpaneld running on this bus\?/);
    const nowhere = await runCli(['--bus-address', 'unix:path=/nonexistent/bus', 'devices']);
    expect(nowhere).toMatchObject({
      status: 1,
      stderr: expect.stringMatching(/cannot talk to the bus.*ENOENT/),
    });
  });

  // Last: it stops the daemon.
  test('connect-ns exits 1 when the daemon goes away and closes its end of the lifeline', async () => {
    const { holder } = await holdConnection('guest3');
    expect((await h.daemon.stop({ graceMs: 5000 })).code).toBe(0);
    expect(await holder.exited).toEqual({ code: 1, signal: null });
    expect(holder.output()).toMatch(/the daemon closed the lifeline: the namespace is disconnected/);
  });
});
