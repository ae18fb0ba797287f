/**
 * The framing of a conversation with `nft -i -e -a` whose stdout and stderr share one pipe: after each batch
 * line the session sends a sentinel command that fails with a known message, so everything before the
 * sentinel's error belongs to the batch. Pure: text in, results out.
 */

/**
 * The sentinel for batch `seq`: a line that is not a command, so nft prints a syntax error naming it. A
 * syntax error is found before nft reads the kernel's ruleset into its cache; a command that fails in the
 * kernel (such as listing a table that does not exist) first reads the whole ruleset, which costs more the
 * larger the table (0.15 against 0.06 ms with 250 owners, 0.63 against 0.13 ms with 1000, here).
 */
export function sentinelCommand(seq: number): string {
  return `pp_sentinel_${seq}`;
}

export type BatchResult =
  | { readonly ok: true; readonly output: string }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
 * The result of batch `seq` and what follows it in `buffer`, or undefined while the sentinel's error has not
 * fully arrived. nft reports an error as three lines: `Error: <message>`, the command, a line of carets; the
 * sentinel's are the last three lines of the batch's output.
 */
export function takeBatch(buffer: string, seq: number): { result: BatchResult; rest: string } | undefined {
  const lines = buffer.split('\n');
  const sentinel = lines.indexOf(sentinelCommand(seq));
  // The caret line must be complete: a newline after it.
  if (sentinel < 1 || lines.length < sentinel + 3) return undefined;
  const batch = lines.slice(0, sentinel - 1);
  const rest = lines.slice(sentinel + 2).join('\n');
  const errors = batch.flatMap((line, i) =>
    line.startsWith('Error:') ? [`${line.slice('Error:'.length).trim()} in: ${batch[i + 1] ?? ''}`] : [],
  );
  if (errors.length > 0) return { result: { ok: false, errors }, rest };
  return { result: { ok: true, output: batch.filter((line) => line !== '').join('\n') }, rest };
}
