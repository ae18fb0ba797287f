import { Argument, Command, CommanderError, Option } from 'commander';
import type { TrafficSource } from '../api/patchpanel-api';
import type { ConnectNamespaceOptions } from '../dbus/request-encoders';
import type { PortRuleChange, PortRuleOperation } from '../dbus/validate-port-rule';
import { CliUsageError } from './errors';
import { type PortRuleFlags, portRuleFromFlags } from './port-rule-flags';
import {
  parseBusAddress,
  parseInterfaceName,
  parseIpv4,
  parsePid,
  parsePort,
  TRAFFIC_SOURCES,
} from './values';

export interface GlobalOptions {
  /** undefined: $DBUS_SYSTEM_BUS_ADDRESS, else the system bus. */
  readonly busAddress: string | undefined;
  readonly json: boolean;
}

/** A command line turned into one typed request; nothing has talked to the daemon yet. */
export type CliCommand =
  | {
      readonly kind: 'connect-ns';
      readonly globals: GlobalOptions;
      readonly request: ConnectNamespaceOptions;
    }
  | { readonly kind: 'port-rule'; readonly globals: GlobalOptions; readonly change: PortRuleChange }
  | { readonly kind: 'devices'; readonly globals: GlobalOptions }
  | { readonly kind: 'watch'; readonly globals: GlobalOptions }
  | { readonly kind: 'help'; readonly text: string };

const EXAMPLES = `
Examples:
  patchpanel connect-ns --pid 4242 --source user         (Ctrl-C disconnects the namespace)
  patchpanel port-rule create --type forwarding --proto tcp --port 8080 --ifname eth0 \\
      --dst-ip 100.115.92.130 --dst-port 8000
  patchpanel --json devices
  patchpanel watch

Exit status: 0 done, 1 the daemon refused or could not be reached, 2 bad arguments (nothing was sent).`;

interface ConnectNsFlags extends RawGlobals {
  readonly pid: number;
  readonly outbound?: string;
  readonly routeOnVpn?: boolean;
  readonly source?: TrafficSource;
}

interface PortRuleCliFlags extends RawGlobals, PortRuleFlags {}

interface RawGlobals {
  readonly busAddress?: string;
  readonly json?: boolean;
}

const globalsOf = (flags: RawGlobals): GlobalOptions => ({
  busAddress: flags.busAddress,
  json: flags.json === true,
});

const mandatory = (flags: string, description: string, choices: readonly string[]): Option =>
  new Option(flags, description).choices(choices).makeOptionMandatory();

/** The commander program; `accept` receives the command the line describes. Output goes to `write`. */
function buildProgram(accept: (command: CliCommand) => void, write: (text: string) => void): Command {
  const program = new Command('patchpanel')
    .description('Talks to patchpaneld (org.chromium.PatchPanel) over D-Bus.')
    .option(
      '--bus-address <address>',
      'D-Bus address (default: $DBUS_SYSTEM_BUS_ADDRESS, else the system bus)',
      parseBusAddress,
    )
    .option('--json', 'machine output: one JSON document (one per line for watch)')
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr: () => {}, outputError: () => {} })
    .addHelpText('after', EXAMPLES);
  program
    .command('connect-ns')
    .description('ConnectNamespace: connect the network namespace of a process, hold it until Ctrl-C')
    .requiredOption('--pid <pid>', 'a process in the namespace to connect', parsePid)
    .option('--outbound <ifname>', 'pin its traffic to this physical device', parseInterfaceName)
    .option('--route-on-vpn', 'route its traffic through the VPN when one is up')
    .addOption(new Option('--source <source>', 'traffic source (default: system)').choices(TRAFFIC_SOURCES))
    .action((_options: unknown, command: Command) => {
      const flags = command.optsWithGlobals<ConnectNsFlags>();
      const request: ConnectNamespaceOptions = {
        pid: flags.pid,
        outboundPhysicalDevice: flags.outbound,
        routeOnVpn: flags.routeOnVpn === true,
        trafficSource: flags.source,
      };
      accept({ kind: 'connect-ns', globals: globalsOf(flags), request });
    });
  program
    .command('port-rule')
    .description('ModifyPortRule: create or delete an ACCESS, LOCKDOWN or FORWARDING rule')
    .addArgument(new Argument('<operation>', 'what to do').choices(['create', 'delete']))
    .addOption(mandatory('--type <type>', 'rule type', ['access', 'lockdown', 'forwarding']))
    .addOption(mandatory('--proto <proto>', 'protocol', ['tcp', 'udp']))
    .requiredOption('--port <port>', 'input destination port', parsePort)
    .option(
      '--ifname <ifname>',
      'input interface (access: optional, forwarding: required)',
      parseInterfaceName,
    )
    .option('--dst-ip <ip>', 'forwarding: the address to forward to', parseIpv4)
    .option('--dst-port <port>', 'forwarding: the port to forward to', parsePort)
    .option('--input-dst-ip <ip>', 'forwarding: only packets sent to this address', parseIpv4)
    .action((operation: PortRuleOperation, _options: unknown, command: Command) => {
      const flags = command.optsWithGlobals<PortRuleCliFlags>();
      accept({
        kind: 'port-rule',
        globals: globalsOf(flags),
        change: { operation, rule: portRuleFromFlags(flags) },
      });
    });
  program
    .command('devices')
    .description('GetDevices: list the guest devices')
    .action((_options: unknown, command: Command) => {
      accept({ kind: 'devices', globals: globalsOf(command.optsWithGlobals<RawGlobals>()) });
    });
  program
    .command('watch')
    .description('print NetworkDeviceChanged signals until Ctrl-C')
    .action((_options: unknown, command: Command) => {
      accept({ kind: 'watch', globals: globalsOf(command.optsWithGlobals<RawGlobals>()) });
    });
  for (const command of program.commands) command.allowExcessArguments(false);
  return program;
}

/** Parses argv (without node and the script); throws CliUsageError for anything wrong. Pure: no output. */
export function parseCommandLine(argv: readonly string[]): CliCommand {
  let accepted: CliCommand | undefined;
  let help = '';
  const program = buildProgram(
    (command) => {
      accepted = command;
    },
    (text) => {
      help += text;
    },
  );
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.exitCode === 0) return { kind: 'help', text: help };
    const message =
      err.code === 'commander.help'
        ? 'a command is needed: connect-ns, port-rule, devices or watch'
        : err.message.replace(/^error: /, '');
    throw new CliUsageError(message, { cause: err });
  }
  if (accepted === undefined) throw new CliUsageError('a command is needed');
  return accepted;
}
