#!/usr/bin/env node
// Regenerates seccomp/<helper>.policy by tracing each helper under its real workload:
//   npm run build && node seccomp/tools/trace-policy.js [helper ...]
// Each helper runs as it does in the jail (setpriv to 65534 with its capabilities, then node) under `strace -f`,
// inside a network namespace of its own holding veth pairs named like an upstream (eth0) and a guest-facing
// interface (arc_eth0), while this script plays the manager over the channel: readiness, a state replay, the
// helper's traffic workload, live guest and device events, then EOF. Every syscall seen, plus a margin for
// paths a short run does not reach, becomes the allow list. Needs root, strace and ndisc6; the root network
// namespace is never touched.

const { execFileSync, spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { Channel, GuestEvent, GuestType, ReplayPhase, deviceEnvelope } = require('@patchpanel/ipc');
const { setprivCommand } = require('@patchpanel/manager/dist/helpers/jail/bwrap');
const { helperCatalog } = require('@patchpanel/manager/dist/helpers/helper-catalog');
const { renderSeccompPolicy } = require('@patchpanel/manager/dist/helpers/seccomp/policy');

// Reached by signals, thread exits, memory pressure and timers rather than by the scripted workload.
const margin = [
  'clock_nanosleep',
  'exit',
  'exit_group',
  'futex',
  'getpid',
  'gettid',
  'kill',
  'madvise',
  'mremap',
  'munmap',
  'nanosleep',
  'restart_syscall',
  'rt_sigreturn',
  'sched_yield',
  'sigaltstack',
  'tgkill',
  'wait4',
];

const run = (argv, input) =>
  execFileSync(argv[0], argv.slice(1), {
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'inherit'],
  });

/**
 * Two namespaces: the helper's (eth0 198.51.100.2/24, arc_eth0 100.115.92.129/30) and a peer playing both the
 * LAN (up0 198.51.100.1/24) and the guest (gst0 100.115.92.130/30, 2001:db8:1::100/64), joined by two veth pairs.
 */
function createNamespaces() {
  const suffix = randomBytes(3).toString('hex');
  const name = `pp-trace-${suffix}`;
  const peerName = `pp-tracep-${suffix}`;
  for (const ns of [name, peerName]) run(['ip', 'netns', 'add', ns]);
  const inside = (ns) => (argv, input) => run(['ip', 'netns', 'exec', ns, ...argv], input);
  const helper = inside(name);
  const peer = inside(peerName);
  // No DAD: the link-local addresses must be usable at once.
  for (const ns of [helper, peer]) ns(['sysctl', '-qw', 'net.ipv6.conf.default.accept_dad=0']);
  // Made here, then moved: a peer created directly in the other namespace came up without carrier here.
  for (const [ours, theirs] of [
    ['eth0', 'up0'],
    ['arc_eth0', 'gst0'],
  ]) {
    helper(['ip', 'link', 'add', ours, 'type', 'veth', 'peer', 'name', theirs]);
    helper(['ip', 'link', 'set', theirs, 'netns', peerName]);
  }
  helper(['ip', 'addr', 'add', '198.51.100.2/24', 'dev', 'eth0']);
  helper(['ip', 'addr', 'add', '100.115.92.129/30', 'dev', 'arc_eth0']);
  peer(['ip', 'addr', 'add', '198.51.100.1/24', 'dev', 'up0']);
  peer(['ip', 'addr', 'add', '100.115.92.130/30', 'dev', 'gst0']);
  peer(['ip', '-6', 'addr', 'add', '2001:db8:1::100/64', 'dev', 'gst0', 'nodad']);
  peer(['ip', '-6', 'addr', 'add', '2001:db8:1::1/64', 'dev', 'up0', 'nodad']);
  for (const ifname of ['lo', 'eth0', 'arc_eth0']) helper(['ip', 'link', 'set', ifname, 'up']);
  for (const ifname of ['lo', 'up0', 'gst0']) peer(['ip', 'link', 'set', ifname, 'up']);
  return {
    name,
    peerName,
    peer,
    remove: () => {
      for (const ns of [name, peerName]) run(['ip', 'netns', 'delete', ns]);
    },
  };
}

/** One UDP datagram from the peer namespace with socat: `to` is socat's address, the rest its options. */
const udp = (ns, to, options, payload) =>
  ns.peer(['socat', '-u', '-', `UDP4-DATAGRAM:${to},${options.join(',')}`], payload);

/** Traffic each helper must handle while traced; run once its state replay is in. */
const workloads = {
  // An RS and an NS with a global source from the guest side, an NS from the upstream side: receive, rewrite,
  // send both ways and report a route.
  'ndproxy-helper': (ns) => {
    ns.peer(['rdisc6', '-1', '-w', '200', 'gst0']);
    ns.peer(['ndisc6', '-1', '-w', '200', '2001:db8:1::1', 'gst0']);
    ns.peer(['ndisc6', '-1', '-w', '200', '2001:db8:1::100', 'up0']);
  },
  // mDNS both ways (a response, so the rewrite runs), an SSDP M-SEARCH from an ephemeral port and a unicast
  // answer to it (the reply relay's raw send), IPv6 mDNS, and broadcasts both ways.
  'mcast-helper': (ns) => {
    // One answer: g.local A 100.115.92.130, cache-flush, TTL 120.
    const response = Buffer.from(
      '0000840000000001000000000167056c6f63616c000001800100000078000464735c82',
      'hex',
    );
    udp(ns, '224.0.0.251:5353', ['sourceport=5353', 'ip-multicast-if=198.51.100.1', 'reuseaddr'], response);
    udp(ns, '224.0.0.251:5353', ['sourceport=5353', 'ip-multicast-if=100.115.92.130', 'reuseaddr'], response);
    udp(
      ns,
      '239.255.255.250:1900',
      ['sourceport=40000', 'ip-multicast-if=100.115.92.130'],
      'M-SEARCH * HTTP/1.1\r\n\r\n',
    );
    execFileSync('sleep', ['0.2']);
    udp(ns, '198.51.100.2:40000', ['sourceport=1900', 'reuseaddr'], 'HTTP/1.1 200 OK\r\n\r\n');
    ns.peer(['socat', '-u', '-', 'UDP6-DATAGRAM:[ff02::fb]:5353,so-bindtodevice=up0'], 'mdns6');
    udp(ns, '255.255.255.255:9999', ['sourceport=5000', 'broadcast', 'so-bindtodevice=up0'], 'lan broadcast');
    udp(
      ns,
      '255.255.255.255:9999',
      ['sourceport=40001', 'broadcast', 'so-bindtodevice=gst0'],
      'guest broadcast',
    );
    execFileSync('sleep', ['0.2']);
  },
  // Two relayed connections from the lan side, each with a half-close and 4 MiB back: the first to adbd's Unix
  // socket, the second, once that socket is gone, falling back to TCP at the guest's address.
  'adb-proxy': (ns) => {
    const adbd = (address) =>
      spawn('ip', ['netns', 'exec', ns.peerName, 'socat', address, 'SYSTEM:head -c 4194304 /dev/zero'], {
        stdio: 'ignore',
      });
    const servers = [adbd(`UNIX-LISTEN:${adbSocket},mode=777`), adbd('TCP-LISTEN:5555,reuseaddr,fork')];
    try {
      for (const _target of ['unix', 'tcp']) {
        execFileSync('sleep', ['0.3']);
        ns.peer(['socat', '-u', '-', 'TCP:198.51.100.2:5555,shut-down'], 'CNXN');
        ns.peer(['socat', '-u', 'TCP:198.51.100.2:5555', '/dev/null']);
      }
    } finally {
      for (const server of servers) server.kill();
    }
  },
};

/** Where the traced adb-proxy finds adbd's Unix socket; its TCP target is the peer's guest address. */
const adbSocketDir = mkdtempSync(path.join(tmpdir(), 'pp-trace-adb-'));
chmodSync(adbSocketDir, 0o755); // the helper runs as 65534
const adbSocket = path.join(adbSocketDir, 'adb.sock');
const adbProxyConfig = { containerSocket: adbSocket, tcpTarget: { address: '100.115.92.130', port: 5555 } };

function drive(socket, workload) {
  return new Promise((resolve, reject) => {
    const channel = new Channel(socket, {
      peer: 'helper',
      handlers: {
        helperReadyMessage: () => {
          channel.send({ stateReplayMessage: { phase: ReplayPhase.BEGIN } });
          channel.send({ adbPolicyMessage: { allowed: true } });
          channel.send({ guestMessage: { type: GuestType.ARC, event: GuestEvent.START, arcPid: 4242 } });
          channel.send(deviceEnvelope({ action: 'start', upstream: 'eth0', guest: 'arc_eth0' }));
          channel.send({ stateReplayMessage: { phase: ReplayPhase.END, messageCount: 3 } });
        },
        stateReplayMessage: () => {
          try {
            workload();
          } catch {
            // The solicitations go unanswered; only what the helper does with them matters.
          }
          channel.send({ guestMessage: { type: GuestType.ARC, event: GuestEvent.STOP } });
          channel.send(deviceEnvelope({ action: 'remove-upstream', upstream: 'eth0' }));
          setTimeout(() => channel.close(), 200);
        },
      },
      onClose: (error) => (error ? reject(error) : resolve()),
    });
  });
}

async function trace(spec) {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'pp-trace-')), 'strace.log');
  const command = setprivCommand(process.execPath, spec, { uid: 65534, gid: 65534 });
  const ns = createNamespaces();
  try {
    const child = spawn(
      'ip',
      ['netns', 'exec', ns.name, 'strace', '-f', '-qq', '-o', out, '--', ...command],
      {
        stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
        env: { ...process.env, ...spec.env },
      },
    );
    const exited = new Promise((resolve) => child.once('close', resolve));
    await drive(child.stdio[3], () => workloads[spec.name]?.(ns));
    await exited;
  } finally {
    ns.remove();
  }
  const seen = new Set();
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    const m = /^\d+\s+(?:<\.\.\. )?([a-z0-9_]+)(?:\(| resumed>)/.exec(line);
    if (m) seen.add(m[1]);
  }
  return [...new Set([...seen, ...margin])];
}

/** The adb-proxy is traced once per relay; its policy allows what either did. */
const adbProxyConfigs = ['splice', 'stream'].map((relay) => ({ ...adbProxyConfig, relay }));

async function main() {
  const wanted = process.argv.slice(2);
  const catalogs = adbProxyConfigs.map((config) => helperCatalog({ adbProxyConfig: config }));
  for (const [i, spec] of catalogs[0].entries()) {
    if (wanted.length > 0 && !wanted.includes(spec.name)) continue;
    const variants = spec.env === undefined ? [spec] : catalogs.map((catalog) => catalog[i]);
    const syscalls = new Set();
    for (const variant of variants) for (const name of await trace(variant)) syscalls.add(name);
    const header = [
      `${spec.name}: syscalls allowed under the bwrap jail (minijail reads this file as is).`,
      'Generated by seccomp/tools/trace-policy.js; regenerate after changing what the helper does.',
    ];
    writeFileSync(spec.seccompPolicyPath, renderSeccompPolicy({ syscalls: [...syscalls] }, header));
    process.stdout.write(`${spec.seccompPolicyPath}: ${syscalls.size} syscalls\n`);
  }
}

main()
  .catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(adbSocketDir, { recursive: true, force: true }));
