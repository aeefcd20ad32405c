import { inputError } from "../../errors.js";
import type { PowerEngine } from "./engine.js";

/**
 * Cuts bytes into lines for a `PowerEngine`, without building strings for parsers that read
 * bytes. LF and CRLF line ends, or lone CR (old serial-terminal logs) when `useLineEnds` finds
 * no LF at the start of the file; blank lines are counted but not passed on. The caller removes a
 * UTF-8 BOM (see `checkEncoding`). Line numbers are 1-based and count every line of the file.
 */
/** A power log line longer than this is no reading: it is quarantined unread, with its line number. */
export const MAX_POWER_LINE_BYTES = 1 << 20;

export class LineFeeder {
  /** Lines seen so far. */
  line = 0;
  private noted = false;
  /** A line over the limit being skipped: its number, first bytes and length so far. */
  private skipping: { line: number; head: string; bytes: number } | null = null;
  /** The line-end byte: LF, or CR for files that use lone CRs. */
  private eol = 0x0a;

  constructor(private readonly engine: PowerEngine) {}

  private endLongLine(): void {
    const sk = this.skipping!;
    this.skipping = null;
    this.line = sk.line;
    this.engine.quarantineLine(sk.line, `${sk.head}…`, longLineReason(sk.bytes));
  }

  /** Pick the line end from the first bytes: lone CR only when there is a CR and no LF at all. */
  useLineEnds(head: Uint8Array): void {
    if (head.indexOf(0x0a) < 0 && head.indexOf(0x0d) >= 0) this.eol = 0x0d;
  }

  /**
   * Feed the complete lines in `buf[from, to)`; with `final`, the rest too. Returns where the
   * unfinished last line starts (`to` when everything was used).
   */
  feed(buf: Buffer, from: number, to: number, final: boolean): number {
    const parser = this.engine.parser;
    // The hot loop takes the parser's methods once and calls them with .call(parser).
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const bytes = parser.lineBytes;
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const scan = this.eol === 0x0a ? parser.scanLine : undefined;
    const engine = this.engine;
    let s = from;
    if (this.skipping !== null) {
      const nl = buf.indexOf(this.eol, s);
      if (nl < 0 || nl >= to) {
        this.skipping.bytes += to - s;
        if (final) this.endLongLine();
        return to;
      }
      this.skipping.bytes += nl - s;
      this.endLongLine();
      s = nl + 1;
      if (s >= to) return to;
    }
    for (;;) {
      if (scan !== undefined && this.noted && s < to) {
        engine.curBuf = buf;
        engine.curStart = s;
        engine.curEnd = -1; // not known yet: the engine finds it if it needs the raw text
        engine.curLine = this.line + 1;
        const lf = scan.call(parser, buf, s, to, this.line + 1);
        if (lf >= 0) {
          this.line++;
          s = lf + 1;
          if (s >= to) return to;
          continue;
        }
      }
      let nl = buf.indexOf(this.eol, s);
      if (nl < 0 || nl >= to) {
        if (!final && to - s > MAX_POWER_LINE_BYTES) {
          // An unfinished line already over the limit: drop it as it streams past (memory stays bounded).
          this.skipping = { line: this.line + 1, head: buf.toString("utf8", s, s + 200), bytes: to - s };
          return to;
        }
        if (!final || s >= to) return s;
        nl = to;
      }
      this.line++;
      let e = nl;
      if (e > s && buf[e - 1] === 0x0d) e--;
      if (e - s > MAX_POWER_LINE_BYTES) {
        engine.quarantineLine(this.line, `${buf.toString("utf8", s, s + 200)}…`, longLineReason(e - s));
      } else if (e > s) {
        engine.curBuf = buf;
        engine.curStart = s;
        engine.curEnd = e;
        engine.curLine = this.line;
        if (bytes !== undefined && this.noted) bytes.call(parser, buf, s, e, this.line);
        else {
          const text = buf.toString("utf8", s, e);
          if (text.trim() !== "") {
            if (!this.noted) {
              engine.noteLine(this.line, text);
              this.noted = true;
            }
            if (bytes !== undefined) bytes.call(parser, buf, s, e, this.line);
            else parser.line(text, this.line);
          }
        }
      }
      s = nl + 1;
      if (s >= to) return to;
    }
  }
}

/** Quarantine the line over the limit that was skipped (see `MAX_POWER_LINE_BYTES`). */
function longLineReason(bytes: number): string {
  return `a line of ${bytes} bytes, longer than ${MAX_POWER_LINE_BYTES >> 20} MiB: no reading, not read`;
}

/** Bytes to skip at the start of a file (a UTF-8 BOM); UTF-16 files are refused with a hint. */
export function checkEncoding(head: Uint8Array, file: string): number {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 3;
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    throw inputError("the file is UTF-16 text", {
      file,
      line: 1,
      hint: "save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8), then read it again",
    });
  }
  if (head.indexOf(0) >= 0) {
    throw inputError("the file holds NUL bytes: it is binary, not a text log", {
      file,
      hint: "give the text log the meter or tool wrote",
    });
  }
  return 0;
}
