import type { Hash } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";
import { inputError } from "../../errors.js";
import {
  DETECT_HEAD_CHARS,
  MAX_INFERENCE_LINE_BYTES,
  utf16Encoding,
  utf16Error,
} from "../../ingest/inference/lines.js";

/** Read size of the line reader. */
const CHUNK_BYTES = 1 << 20;

export interface ReadLinesOptions {
  /** The name the file is reported under (errors); defaults to the path. */
  file?: string;
  /**
   * Called for a line longer than `MAX_INFERENCE_LINE_BYTES`, which is skipped as it streams past
   * (never held whole) and not yielded: its number, first characters and length in bytes.
   */
  onLongLine?: (line: number, head: string, bytes: number) => void;
}

/** The file as chunks, each fed to `hash` when given. */
async function* chunks(fh: FileHandle, hash?: Hash): AsyncGenerator<Buffer> {
  for (;;) {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    const { bytesRead } = await fh.read(buf, 0, CHUNK_BYTES, null);
    if (bytesRead === 0) return;
    const data = buf.subarray(0, bytesRead);
    hash?.update(data);
    yield data;
  }
}

/** The line ends of one chunk, found with native searches, each byte looked at once per kind. */
class EolFinder {
  private lf = -2;
  private cr = -2;
  constructor(private readonly data: Buffer) {}
  /** Index of the next LF or CR from `i`, or -1. */
  next(i: number): number {
    if (this.lf !== -1 && this.lf < i) this.lf = this.data.indexOf(0x0a, i);
    if (this.cr !== -1 && this.cr < i) this.cr = this.data.indexOf(0x0d, i);
    const { lf, cr } = this;
    return lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
  }
}

/** The unfinished line carried from chunk to chunk, bounded in length. */
class LineBuilder {
  parts: Buffer[] = [];
  bytes = 0;
  /** Set once the line is over the limit: its first characters (the rest is dropped). */
  long: string | null = null;

  add(part: Buffer): void {
    this.bytes += part.length;
    if (this.long !== null) return;
    this.parts.push(part);
    if (this.bytes > MAX_INFERENCE_LINE_BYTES) {
      this.long = Buffer.concat(this.parts).toString("utf8", 0, 200);
      this.parts = [];
    }
  }

  take(): { text: string | null; head: string; bytes: number } {
    const out =
      this.long !== null
        ? { text: null, head: this.long, bytes: this.bytes }
        : { text: Buffer.concat(this.parts).toString("utf8"), head: "", bytes: this.bytes };
    this.parts = [];
    this.bytes = 0;
    this.long = null;
    return out;
  }
}

/**
 * A run of this many NUL bytes is no text: a binary file, or a log padded with zeros. (A stray
 * NUL or two in a garbled line leaves the line to its parser, which quarantines it.)
 */
const NUL_RUN = 4096;

/**
 * The file offset where a run of `NUL_RUN` NUL bytes starts, for the chunk `data` at file offset
 * `offset`, counting the `carried` zeros the chunk before ended with; -1 when there is none.
 * `tail.zeros` gets the zeros this chunk ends with. Linear: each byte is looked at once.
 */
function zeroRun(data: Buffer, offset: number, carried: number, tail: { zeros: number }): number {
  tail.zeros = 0;
  let p = 0;
  let start = 0;
  let run = carried;
  for (;;) {
    while (p < data.length && data[p] === 0 && run < NUL_RUN) {
      p++;
      run++;
    }
    if (run >= NUL_RUN) return offset + start - (start === 0 ? carried : 0);
    if (p === data.length) {
      tail.zeros = run;
      return -1;
    }
    p = data.indexOf(0, p);
    if (p < 0) return -1;
    start = p;
    run = 0;
  }
}

function nulError(file: string, line: number, offset: number) {
  return inputError(`binary data (a run of NUL bytes) at line ${line}, byte ${offset}: not a text log`, {
    file,
    line,
    hint:
      `a log padded with zeros (by a crash, or \`truncate -s\`) can be cut back to its text: ` +
      `truncate -s ${offset} ${file}`,
  });
}

/**
 * Stream a text file line by line with 1-based line numbers, in constant memory: the file is read
 * in chunks and no line longer than `MAX_INFERENCE_LINE_BYTES` is ever held (see `onLongLine`).
 * LF, CRLF and lone CR line ends are accepted; a UTF-8 BOM is removed. A run of NUL bytes (a
 * binary file, or a log padded with zeros) is an input error naming its line and byte offset. The file is
 * opened read-only. With `hash`, every byte read goes into it as it streams past (complete once
 * the lines are).
 */
export async function* readLines(
  path: string,
  hash?: Hash,
  options: ReadLinesOptions = {},
): AsyncGenerator<[string, number]> {
  const file = options.file ?? path;
  const fh = await open(path, "r");
  const cur = new LineBuilder();
  let n = 0;
  let offset = 0; // file offset of the chunk
  let skipLf = false; // the last chunk ended with CR: an LF first in this one belongs to it
  let zeros = 0; // NUL bytes the last chunk ended with
  const finish = (): [string, number] | null => {
    n++;
    const { text, head, bytes } = cur.take();
    if (text === null) {
      options.onLongLine?.(n, head, bytes);
      return null;
    }
    return [text, n];
  };
  try {
    for await (const data of chunks(fh, hash)) {
      const utf16 = offset === 0 ? utf16Encoding(data) : null;
      if (utf16 !== null) throw utf16Error(file, utf16);
      const tail = { zeros: 0 };
      const runAt = zeroRun(data, offset, zeros, tail);
      zeros = tail.zeros;
      const nul = runAt < 0 ? -1 : Math.max(0, runAt - offset);
      const end = nul < 0 ? data.length : nul;
      let i = skipLf && data[0] === 0x0a ? 1 : 0;
      if (offset === 0 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) i = 3; // a UTF-8 BOM
      skipLf = false;
      const eol = new EolFinder(data);
      for (let e = eol.next(i); e >= 0 && e < end; e = eol.next(i)) {
        cur.add(data.subarray(i, e));
        const line = finish();
        if (line !== null) yield line;
        i = e + 1;
        if (data[e] === 0x0d) {
          if (i < data.length && data[i] === 0x0a) i++;
          else if (i === data.length) skipLf = true;
        }
      }
      if (nul >= 0) throw nulError(file, n + 1, runAt);
      if (i < data.length) cur.add(data.subarray(i));
      offset += data.length;
    }
    if (cur.bytes > 0 || cur.long !== null) {
      const line = finish();
      if (line !== null) yield line;
    }
  } finally {
    await fh.close();
  }
}

/**
 * The first `bytes` of a file as text (for format detection), read-only; cut after its last
 * complete line when the file is longer. A first line longer than `bytes` (Ollama responses with a
 * long `context` array) is read whole, up to `MAX_INFERENCE_LINE_BYTES`. UTF-16 text is refused
 * (named `file`), with how to convert it.
 */
export async function readHead(path: string, bytes = DETECT_HEAD_CHARS, file = path): Promise<string> {
  const fh = await open(path, "r");
  try {
    let size = bytes;
    for (;;) {
      const buf = Buffer.alloc(size);
      const { bytesRead } = await fh.read(buf, 0, size, 0);
      const data = buf.subarray(0, bytesRead);
      const utf16 = utf16Encoding(data);
      if (utf16 !== null) throw utf16Error(file, utf16);
      if (bytesRead < size) return data.toString("utf8").replace(/^\uFEFF/, "");
      // Drop a possibly cut last line (and a cut multi-byte character) when the file is longer.
      const cut = Math.max(data.lastIndexOf(0x0a), data.lastIndexOf(0x0d));
      if (cut > 0 || size >= MAX_INFERENCE_LINE_BYTES) {
        return data.toString("utf8", 0, cut > 0 ? cut : size).replace(/^\uFEFF/, "");
      }
      size = Math.min(size * 4, MAX_INFERENCE_LINE_BYTES);
    }
  } finally {
    await fh.close();
  }
}
