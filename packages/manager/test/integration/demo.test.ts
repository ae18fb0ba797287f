import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { integrationSuite } from '@patchpanel/testbed';
import { isAlive } from '../support/proc';

const root = path.resolve(__dirname, '../../../..');

function runDemo(seconds: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const argv = [path.join(root, 'demo/run.js'), '--for', String(seconds)];
    execFile(process.execPath, argv, { cwd: root, timeout: 80_000 }, (error, stdout, stderr) => {
      resolve({
        status: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
        stdout,
        stderr,
      });
    });
  });
}

// The bed of this suite stays empty: integrationSuite gives the skip-or-fail rule for missing root.
integrationSuite('npm run demo (smoke test)', () => {
  test('shows the ping through NAT and the forwarded TCP connection, then leaves nothing behind', async () => {
    const { status, stdout, stderr } = await runDemo(2);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout).toMatch(
      /^ping +\S+ 100\.115\.92\.130 -> lan 198\.51\.100\.1: ok, .*sent as 198\.51\.100\.2/m,
    );
    expect(stdout).toMatch(
      /^tcp +lan 198\.51\.100\.1 -> 198\.51\.100\.2:8080 .*: ok, reached the server at 100\.115\.92\.130:8000/m,
    );
    expect(stdout).toMatch(/^ping6 +\S+ <-> lan 2001:db8:1::1: ok, veth0 got 2001:db8:1:0:\S+ by SLAAC/m);
    expect(stdout).toMatch(/^release .*exited 0: arc_ns0 and its netns name removed by the daemon/m);
    expect(stdout).toMatch(/^daemon +SIGTERM: exited 0; pp_ lines left: 0 nftables, 0 ipv4, 0 ipv6$/m);

    const prefix = /^bed +(ppt[0-9a-f]{5}):/m.exec(stdout)?.[1];
    expect(prefix).toBeDefined();
    const netns = existsSync('/run/netns') ? readdirSync('/run/netns') : [];
    expect(netns.filter((name) => name.startsWith(prefix!))).toEqual([]);
    const pidLines = (stdout.match(/^pids .*$/gm) ?? []).join(';');
    const pids = [...pidLines.matchAll(/ (\d+)(?=[;,]| \(|$)/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(6); // the daemon, its 3 helpers, dbus-daemon, the CLI holding the lifeline
    expect(pids.filter(isAlive)).toEqual([]);
  }, 90_000);
});
