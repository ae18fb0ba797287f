#!/usr/bin/env node
import { parseCommandLine } from './command-line';
import { describeFailure } from './failure';
import { type CliOutput, runCommand } from './run-command';

const output: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

async function main(argv: readonly string[]): Promise<number> {
  const command = parseCommandLine(argv);
  if (command.kind === 'help') {
    output.out(command.text);
    return 0;
  }
  return runCommand(command, output);
}

// process.exit: a bus connection that failed to open can keep the loop alive. stdout and stderr are
// synchronous for files and pipes on Linux, so nothing written is lost.
main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (err: unknown) => {
    const failure = describeFailure(err);
    output.err(`patchpanel: ${failure.message}\n`);
    process.exit(failure.status);
  },
);
