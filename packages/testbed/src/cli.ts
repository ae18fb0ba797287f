#!/usr/bin/env node
// pp-testbed: the test bed for people. `demo` builds the virtual host and keeps it until Ctrl-C (or --for).
import { parseArgs } from 'node:util';
import { describeError } from './errors';
import { isAlive } from './proc';
import { describeTestbed } from './report';
import { readStoredRuns } from './state-store';
import { sweepLeftovers } from './sweep';
import { createTestbed } from './testbed';
import { createVirtualHost } from './virtual-host';

const USAGE = `usage: pp-testbed <command> [options]

commands:
  demo [--for <seconds>] [--no-radvd] [--no-avahi] [--no-echo] [--policy <file>]
        build the virtual host (lan + host + a container + a private bus), print it, keep it until
        Ctrl-C/SIGTERM (or for <seconds>), then remove everything
  sweep  remove namespaces, processes and files of crashed runs (owner dead)
  status list recorded runs and whether their owner is alive
`;

function waitForStop(seconds: number | undefined): Promise<string> {
  return new Promise((resolve) => {
    const done = (why: string): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      clearTimeout(timer);
      resolve(why);
    };
    const onSignal = (signal: NodeJS.Signals): void => done(signal);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const timer =
      seconds === undefined ? undefined : setTimeout(() => done(`${seconds} s elapsed`), seconds * 1000);
  });
}

async function demo(values: Record<string, string | boolean | undefined>): Promise<void> {
  const seconds = values.for === undefined ? undefined : Number(values.for);
  if (seconds !== undefined && !(seconds > 0)) throw new Error('--for needs a positive number of seconds');
  const bed = await createTestbed({ label: 'pp-testbed demo', handleSignals: false });
  try {
    const vh = await createVirtualHost(bed, {
      radvd: !values['no-radvd'],
      avahi: !values['no-avahi'],
      echo: !values['no-echo'],
    });
    const guest = await bed.container('guest');
    const policy = typeof values.policy === 'string' ? values.policy : undefined;
    const bus = await bed.dbus({ policyFile: policy });
    const report = await describeTestbed(bed);
    console.log(`test bed ${report.prefix} (files in ${report.runDir})\n`);
    for (const ns of report.netns) {
      console.log(`== netns ${ns.name}\n${ns.addresses.trim()}\n-- routes\n${ns.routes}\n`);
    }
    console.log(`lan ${vh.lanIpv4} / ${vh.lanIpv6}, host ${vh.hostIpv4}, prefix ${vh.ipv6Prefix}`);
    if (vh.avahi) console.log(`avahi answers as ${vh.avahi.fqdn} (pid ${vh.avahi.pid})`);
    if (vh.echo) console.log(`echo peer on tcp+udp port ${vh.echo.port} (pid ${vh.echo.pid})`);
    console.log(`container ${guest.name}: pid ${guest.pid}`);
    console.log(`private bus: ${bus.address} (pid ${bus.pid})\n\nprocesses:`);
    for (const p of report.processes) console.log(`  ${p.pid}  ${p.argv.join(' ')}`);
    console.log(`\ntry: ip netns exec ${vh.host.name} ping -c1 ${vh.lanIpv4}`);
    console.log(
      seconds === undefined ? 'Ctrl-C to remove everything' : `removing everything in ${seconds} s`,
    );
    console.log(`stopping: ${await waitForStop(seconds)}`);
  } finally {
    await bed.teardown();
    console.log(`removed test bed ${bed.prefix}`);
  }
}

async function sweep(): Promise<number> {
  const report = await sweepLeftovers();
  console.log(
    `swept runs: ${report.runs.join(', ') || 'none'}; namespaces: ${report.netns.join(', ') || 'none'}`,
  );
  for (const prefix of report.damaged) console.log(`damaged state file left alone: ${prefix}`);
  for (const error of report.errors) console.error(`error: ${error}`);
  return report.errors.length === 0 ? 0 : 1;
}

function status(): void {
  const runs = readStoredRuns();
  if (runs.length === 0) console.log('no recorded runs');
  for (const run of runs) {
    if (run.state === undefined) {
      console.log(`${run.prefix}  damaged: ${run.error?.message}`);
      continue;
    }
    const owner = `${run.state.owner.pid} (${isAlive(run.state.owner) ? 'alive' : 'dead'})`;
    console.log(`${run.prefix}  owner ${owner}  netns ${run.state.netns.join(' ')}  "${run.state.label}"`);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      for: { type: 'string' },
      'no-radvd': { type: 'boolean' },
      'no-avahi': { type: 'boolean' },
      'no-echo': { type: 'boolean' },
      policy: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (command === 'demo') await demo(values);
  else if (command === 'sweep') return sweep();
  else if (command === 'status') status();
  else {
    console.error(`unknown command ${command}\n${USAGE}`);
    return 2;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`pp-testbed: ${describeError(err)}`);
    process.exitCode = 1;
  },
);
