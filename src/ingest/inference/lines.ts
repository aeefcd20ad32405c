import { inputError, type SlmError } from "../../errors.js";
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

/**
 * Whether a file's first bytes are UTF-16 text (what PowerShell's `>` and `Out-File` write on
 * Windows): a UTF-16 byte-order mark, or, without one, NUL in most odd (or even) bytes of ASCII
 * text. Null for anything else (UTF-8, ASCII, and binary files left to the NUL-run check).
 */
export function utf16Encoding(head: Uint8Array): "UTF-16LE" | "UTF-16BE" | null {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return "UTF-16LE";
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return "UTF-16BE";
  const n = Math.min(head.length, 1024) & ~1;
  if (n < 8) return null;
  let evenZero = 0;
  let oddZero = 0;
  let otherNonZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZero++;
    if (head[i + 1] === 0) oddZero++;
    if (head[i] !== 0 && head[i + 1] !== 0) otherNonZero++;
  }
  const pairs = n / 2;
  // ASCII text as UTF-16: one byte of every pair is zero, the other never is.
  if (oddZero >= 0.9 * pairs && evenZero === 0 && otherNonZero <= 0.1 * pairs) return "UTF-16LE";
  if (evenZero >= 0.9 * pairs && oddZero === 0 && otherNonZero <= 0.1 * pairs) return "UTF-16BE";
  return null;
}

/** The error for a log saved as UTF-16: refused with the reason and how to convert it. */
export function utf16Error(file: string, encoding: "UTF-16LE" | "UTF-16BE"): SlmError {
  return inputError(`the file is ${encoding} text (as Windows PowerShell 5's \`>\` writes it), not UTF-8`, {
    file,
    line: 1,
    hint:
      `convert it to UTF-8 and read that: \`iconv -f ${encoding} -t UTF-8 FILE > FILE.utf8\`, or in PowerShell ` +
      "`Get-Content FILE | Set-Content -Encoding utf8 FILE.utf8`; or write the log with `| Out-File -Encoding utf8`",
  });
}
