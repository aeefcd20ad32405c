/** Lines of in-memory text and the loop that runs a line parser over lines (no disk access). */

/** Characters of a log's start that format detection reads (more when the first line is longer). */
export const DETECT_HEAD_CHARS = 64 * 1024;
/**
 * An inference log line longer than this is quarantined unread (a JSON record with a long
 * `context` array is well under it; a file of zeros or one giant line is not a log).
 */
export const MAX_INFERENCE_LINE_BYTES = 16 * 1024 * 1024;

/**
 * The start of an in-memory log for format detection, as `readHead` reads it from a file: cut
 * after the last complete line within `DETECT_HEAD_CHARS`, or after the first line when that is
 * longer (up to `MAX_INFERENCE_LINE_BYTES`).
 */
export function detectionHead(text: string): string {
  if (text.length <= DETECT_HEAD_CHARS) return text;
  const cut = Math.max(text.lastIndexOf("\n", DETECT_HEAD_CHARS), text.lastIndexOf("\r", DETECT_HEAD_CHARS));
  if (cut > 0) return text.slice(0, cut);
  const nl = text.slice(0, MAX_INFERENCE_LINE_BYTES).search(/[\r\n]/);
  return text.slice(0, nl < 0 ? MAX_INFERENCE_LINE_BYTES : nl);
}

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
