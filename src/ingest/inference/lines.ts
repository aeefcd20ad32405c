/** Lines of in-memory text and the loop that runs a line parser over lines (no disk access). */

/** Lines of an in-memory text, same conventions as `readLines`. */
export function* textLines(text: string): Generator<[string, number]> {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  for (let i = 0; i < lines.length; i++) yield [lines[i]!, i + 1];
}

/** Run a line parser over a stream of lines. */
export async function* runLineParser<R>(
  lines: AsyncIterable<[string, number]> | Iterable<[string, number]>,
  parser: { push(line: string, lineNo: number): R[]; end(): R[] },
): AsyncGenerator<R> {
  for await (const [line, no] of lines) {
    for (const r of parser.push(line, no)) yield r;
  }
  for (const r of parser.end()) yield r;
}
