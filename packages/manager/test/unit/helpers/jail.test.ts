import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HelperSpec } from '../../../src/helpers/helper-spec';
import { parseHelperIdentity } from '../../../src/helpers/identity';
import { bwrapJail } from '../../../src/helpers/jail/bwrap';
import { capabilityMask, setprivCapabilityList } from '../../../src/helpers/jail/capabilities';
import { minijailJail } from '../../../src/helpers/jail/minijail';
import { noJail } from '../../../src/helpers/jail/no-jail';

async function spec(capabilities: HelperSpec['capabilities']): Promise<HelperSpec> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pp-jail-'));
  const seccompPolicyPath = path.join(dir, 'h.policy');
  await writeFile(seccompPolicyPath, 'read: 1\nwrite: 1\n');
  return { name: 'mcast-helper', entry: '/opt/pp/mcast.js', capabilities, seccompPolicyPath };
}

const identity = { uid: 65534, gid: 65533 };

describe('jails', () => {
  test('capability masks and setpriv lists', () => {
    expect(capabilityMask(['NET_RAW'])).toBe(0x2000n);
    expect(capabilityMask(['NET_RAW', 'NET_ADMIN'])).toBe(0x3000n);
    expect(setprivCapabilityList([])).toBe('-all');
    expect(setprivCapabilityList(['NET_RAW', 'NET_ADMIN'])).toBe('-all,+net_raw,+net_admin');
  });

  test('bwrap: namespaces, capabilities kept for setpriv, seccomp on fd 4, then setpriv drops to the user', async () => {
    const plan = await bwrapJail('/usr/bin/node').plan(await spec(['NET_RAW']), identity);
    expect(plan.file).toBe('bwrap');
    const args = plan.args.join(' ');
    expect(args).toContain('--unshare-pid --unshare-ipc --die-with-parent --new-session');
    expect(args).toContain(
      '--cap-drop ALL --cap-add CAP_SETUID --cap-add CAP_SETGID --cap-add CAP_SETPCAP --cap-add CAP_NET_RAW',
    );
    expect(args).not.toContain('--unshare-user');
    expect(args).not.toContain('--tmpfs'); // helpers may live under /tmp (a CI checkout, say)
    expect(args).not.toContain('--unshare-net');
    expect(args).toContain(
      '--seccomp 4 -- setpriv --reuid=65534 --regid=65533 --clear-groups --inh-caps=-all,+net_raw ' +
        '--ambient-caps=-all,+net_raw --bounding-set=-all,+net_raw --no-new-privs /usr/bin/node /opt/pp/mcast.js',
    );
    // Two allowed syscalls per architecture section.
    expect(plan.seccompProgram?.length).toBeGreaterThan(0);
    expect((plan.seccompProgram?.length ?? 0) % 8).toBe(0);
  });

  test('bwrap refuses a policy it cannot compile', async () => {
    const bad = await spec([]);
    await writeFile(bad.seccompPolicyPath, 'ioctl: arg1 == 0x5401\n');
    await expect(bwrapJail().plan(bad, identity)).rejects.toMatchObject({ code: 'PP_ERR_SECCOMP_POLICY' });
  });

  test('minijail: user, capability mask with ambient, no_new_privs, namespaces and the policy file', async () => {
    const s = await spec(['NET_RAW', 'NET_ADMIN']);
    const plan = await minijailJail('/usr/bin/node').plan(s, identity);
    expect(plan).toEqual({
      file: 'minijail0',
      args: [
        '-u',
        '65534',
        '-g',
        '65533',
        '-c',
        '0x3000',
        '--ambient',
        '-n',
        '-l',
        '-v',
        '-p',
        '-S',
        s.seccompPolicyPath,
        '--',
        '/usr/bin/node',
        '/opt/pp/mcast.js',
      ],
    });
  });

  test('no jail: plain node', async () => {
    expect(await noJail('/usr/bin/node').plan(await spec([]), identity)).toEqual({
      file: '/usr/bin/node',
      args: ['/opt/pp/mcast.js'],
    });
  });
});

describe('helper identity', () => {
  const passwd =
    'root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/usr/sbin/nologin\npatchpaneld:x:998:997::/:/bin/false\n';

  test('looks a user up in passwd', () => {
    expect(parseHelperIdentity('patchpaneld', passwd)).toEqual({ uid: 998, gid: 997 });
    expect(parseHelperIdentity('nobody', passwd)).toEqual({ uid: 65534, gid: 65534 });
  });

  test('takes a numeric uid:gid as is', () => {
    expect(parseHelperIdentity('1234:5678', '')).toEqual({ uid: 1234, gid: 5678 });
  });

  test('a missing user is a configuration error that says how to fix it', () => {
    expect(() => parseHelperIdentity('ghost', passwd)).toThrow(/does not exist; create it/);
  });
});
