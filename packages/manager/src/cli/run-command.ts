import { ClientSession } from './client-session';
import type { CliCommand, GlobalOptions } from './command-line';
import {
  connectionFields,
  formatDeviceChange,
  formatDevices,
  formatFields,
  formatJson,
  portRuleFields,
} from './format';
import { holdLifeline } from './hold-lifeline';
import { nextStopSignal } from './stop-signal';

/** Where the CLI writes: results to `out`, progress and diagnostics to `err`. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

export type DaemonCommand = Exclude<CliCommand, { kind: 'help' }>;

/** Runs one command against the daemon and resolves to the exit status; failures are thrown. */
export async function runCommand(command: DaemonCommand, output: CliOutput): Promise<number> {
  const session = new ClientSession(command.globals.busAddress);
  try {
    switch (command.kind) {
      case 'connect-ns':
        return await connectNamespace(session, command, output);
      case 'port-rule': {
        const { operation, rule } = command.change;
        await session.run((client) => client.modifyPortRule(operation, rule));
        const json = { operation, rule, success: true };
        output.out(command.globals.json ? formatJson(json) : formatFields(portRuleFields(command.change)));
        return 0;
      }
      case 'devices': {
        const devices = await session.run((client) => client.getDevices());
        output.out(command.globals.json ? formatJson({ devices }) : formatDevices(devices));
        return 0;
      }
      case 'watch':
        return await watch(session, command.globals, output);
    }
  } finally {
    session.close();
  }
}

async function connectNamespace(
  session: ClientSession,
  command: Extract<DaemonCommand, { kind: 'connect-ns' }>,
  output: CliOutput,
): Promise<number> {
  const { connection, lifelineFd } = await session.run((client) => client.connectNamespace(command.request));
  session.close(); // the lifeline is a pipe: holding it needs no bus
  const held = holdLifeline(lifelineFd); // Ctrl-C is handled from here on, before anyone sees the result
  output.out(command.globals.json ? formatJson(connection) : formatFields(connectionFields(connection)));
  output.err(`holding the lifeline of ${connection.hostIfname}: Ctrl-C disconnects the namespace\n`);
  const end = await held;
  if (end.by === 'daemon') {
    output.err('the daemon closed the lifeline: the namespace is disconnected\n');
    return 1;
  }
  output.err(`${end.signal}: released the lifeline; the daemon disconnects ${connection.hostIfname}\n`);
  return 0;
}

async function watch(session: ClientSession, globals: GlobalOptions, output: CliOutput): Promise<number> {
  const unsubscribe = await session.run((client) =>
    client.onNetworkDeviceChanged((change) => {
      output.out(globals.json ? formatJson(change) : formatDeviceChange(change));
    }),
  );
  const stopped = Promise.race([nextStopSignal(), session.whenBroken()]);
  output.err(`watching NetworkDeviceChanged on ${session.address}: Ctrl-C stops\n`);
  const signal = await stopped;
  await session.run(() => unsubscribe());
  output.err(`${signal}: stopped watching\n`);
  return 0;
}
