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
const { mkdtempSync, readFileSync, writeFileSync } = require('node:fs');
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

const run = (argv) => execFileSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'inherit'] });

/** A namespace with eth0 <-> up0 and arc_eth0 <-> gst0 veth pairs, up, the guest end with a global address. */
function createNamespace() {
  const name = `pp-trace-${randomBytes(3).toString('hex')}`;
  run(['ip', 'netns', 'add', name]);
  const inside = (...argv) => run(['ip', 'netns', 'exec', name, ...argv]);
  inside('ip', 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'up0');
  inside('ip', 'link', 'add', 'arc_eth0', 'type', 'veth', 'peer', 'name', 'gst0');
  for (const ifname of ['lo', 'eth0', 'up0', 'arc_eth0', 'gst0']) inside('ip', 'link', 'set', ifname, 'up');
  inside('ip', '-6', 'addr', 'add', '2001:db8:1::100/64', 'dev', 'gst0', 'nodad');
  return { name, inside, remove: () => run(['ip', 'netns', 'delete', name]) };
}

/** Traffic each helper must handle while traced; run once its state replay is in. */
const workloads = {
  // An RS and an NS with a global source from the guest side, an NS from the upstream side: receive, rewrite,
  // send both ways and report a route.
  'ndproxy-helper': (ns) => {
    ns.inside('rdisc6', '-1', '-w', '200', 'gst0');
    ns.inside('ndisc6', '-1', '-w', '200', '2001:db8:1::1', 'gst0');
    ns.inside('ndisc6', '-1', '-w', '200', '2001:db8:1::100', 'up0');
  },
};

function drive(socket, workload) {
  return new Promise((resolve, reject) => {
    const channel = new Channel(socket, {
      peer: 'helper',
      handlers: {
        helperReadyMessage: () => {
          channel.send({ stateReplayMessage: { phase: ReplayPhase.BEGIN } });
          channel.send({ guestMessage: { type: GuestType.ARC, event: GuestEvent.START, arcPid: 4242 } });
          channel.send(deviceEnvelope({ action: 'start', upstream: 'eth0', guest: 'arc_eth0' }));
          channel.send({ stateReplayMessage: { phase: ReplayPhase.END, messageCount: 2 } });
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
  const ns = createNamespace();
  try {
    const child = spawn(
      'ip',
      ['netns', 'exec', ns.name, 'strace', '-f', '-qq', '-o', out, '--', ...command],
      {
        stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
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

async function main() {
  const wanted = process.argv.slice(2);
  const specs = helperCatalog().filter((spec) => wanted.length === 0 || wanted.includes(spec.name));
  for (const spec of specs) {
    const syscalls = await trace(spec);
    const header = [
      `${spec.name}: syscalls allowed under the bwrap jail (minijail reads this file as is).`,
      'Generated by seccomp/tools/trace-policy.js; regenerate after changing what the helper does.',
    ];
    writeFileSync(spec.seccompPolicyPath, renderSeccompPolicy({ syscalls }, header));
    process.stdout.write(`${spec.seccompPolicyPath}: ${syscalls.length} syscalls\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
