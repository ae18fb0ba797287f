/**
 * Runs the netlink device backend in the network namespace it was started in (`ip netns exec <ns> …`) and
 * prints one JSON line per event on stdout: `started`, `devices`, `default`, `stopped`. Logs go to stderr.
 * SIGTERM stops the backend cleanly (removing its routing); SIGKILL leaves it behind, as a crash would.
 *
 *   device-probe [--patterns eth*,wlan*] [--no-routing] [--rule-priority N]
 */
import pino from 'pino';
import { netlinkBackend } from '../../src/devices';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

function print(line: object): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<void> {
  const logger = pino({ level: 'debug' }, pino.destination(2));
  const patterns = option('--patterns')?.split(',');
  const priority = option('--rule-priority');
  const backend = netlinkBackend({
    logger,
    patterns,
    routing: process.argv.includes('--no-routing')
      ? false
      : { rulePriority: priority ? Number(priority) : undefined },
  });
  backend.source.onChange((event) => print({ event: event.type, ...event }));
  await backend.start();
  print({ event: 'started', devices: backend.source.devices(), default: backend.source.defaultDevice() });

  process.once('SIGTERM', () => {
    backend
      .stop()
      .then(
        () => print({ event: 'stopped', ok: true }),
        (err: Error & { code?: string }) =>
          print({ event: 'stopped', ok: false, code: err.code, error: err.message }),
      )
      // Exiting inside a netlink callback aborts the process: leave it a turn of the loop first.
      .finally(() => setImmediate(() => process.exit(0)));
  });
}

main().catch((err: Error & { code?: string }) => {
  print({ event: 'failed', code: err.code, error: err.message });
  setImmediate(() => process.exit(1));
});
