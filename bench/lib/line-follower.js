// Follows a child's output line by line, stamping each line with the time it arrived, so a benchmark can
// wait for a line (registered before the action that causes it) and read when it came.

/**
 * `parse(text)` returns an object for lines of interest, undefined for the rest.
 * Returns `{ lines, waitFor(match, timeoutMs), firstSince(since, match, timeoutMs) }`. Lines are stamped
 * with `at` (process.hrtime.bigint() on arrival). `waitFor` resolves with the first matching line that arrives
 * from then on; `firstSince` also looks at lines that arrived at or after `since`.
 */
function followLines(stream, parse) {
  const lines = [];
  const waiters = [];
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const at = process.hrtime.bigint();
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop();
    for (const text of parts) {
      const parsed = parse(text);
      if (parsed === undefined) continue;
      const line = { ...parsed, at };
      lines.push(line);
      for (const w of waiters.filter((w) => w.match(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(line);
      }
    }
  });
  const waitFor = (match, timeoutMs = 10_000) =>
    new Promise((resolve, reject) => {
      const waiter = { match, resolve };
      waiter.timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`no matching output line within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.push(waiter);
    });
  const firstSince = (since, match, timeoutMs) =>
    lines.find((line) => line.at >= since && match(line)) ?? waitFor(match, timeoutMs);
  return { lines, waitFor, firstSince };
}

module.exports = { followLines };
