import type { IngestWarning, ParseWarning, QuarantineEntry } from "../types.js";

/**
 * Where a parser reports what it rejects (quarantine) and what it notices (warnings). Parsers
 * never drop a line silently: a line is either part of a record, ignored because it is not part
 * of the format's payload (free text around llama.cpp timings, say), quarantined or an error.
 */
export interface ParseSink {
  quarantine(entry: QuarantineEntry): void;
  warn(warning: ParseWarning): void;
}

/** A sink that keeps everything in arrays (tests, `inspect`, the bundle pipeline). */
export interface CollectingSink extends ParseSink {
  readonly quarantined: QuarantineEntry[];
  readonly warnings: IngestWarning[];
}

export function collectingSink(): CollectingSink {
  const quarantined: QuarantineEntry[] = [];
  const warnings: IngestWarning[] = [];
  return {
    quarantined,
    warnings,
    quarantine: (e) => quarantined.push(e),
    warn: (w) => warnings.push({ ...w, code: "parse" }),
  };
}

/** Options every inference reader takes: callbacks for quarantined rows and warnings. */
export interface SinkOptions {
  onQuarantine?: (entry: QuarantineEntry) => void;
  onWarning?: (warning: IngestWarning) => void;
}

export function sinkFrom(options: SinkOptions): ParseSink {
  return {
    quarantine: options.onQuarantine ?? (() => undefined),
    warn: (w) => options.onWarning?.({ ...w, code: "parse" }),
  };
}

/** Quarantined text is shortened so one bad line cannot bloat the quarantine file. */
export function clip(text: string, max = 500): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * A streaming line parser: fed one line at a time (without its line ending) with its 1-based
 * number, it returns the records completed by that line; `end()` flushes what is left.
 */
export interface LineParser<R> {
  push(line: string, lineNo: number): R[];
  end(): R[];
}
