// How peer scripts talk to the bed: one JSON object per stdout line; a failure also goes to stderr.

export function printLine(value: object): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Reports the error as the peer's result and exits 1 (the bed's exec rejects with the stderr line). */
export function fail(peer: string, error: string): never {
  printLine({ ok: false, error });
  process.stderr.write(`${peer}: ${error}\n`);
  process.exit(1);
}
