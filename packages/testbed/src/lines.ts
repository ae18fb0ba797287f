/** Turns a stream of text chunks into whole lines; a chunk may end mid-line, the rest waits for the next. */
export function lineSplitter(onLine: (line: string) => void): (chunk: string | Buffer) => void {
  let partial = '';
  return (chunk) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) onLine(line);
  };
}
