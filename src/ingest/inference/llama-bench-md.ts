import type { InferenceRecord } from "../types.js";
import { splitCsvLine } from "./csv-line.js";
import { clip, type LineParser, type ParseSink } from "./sink.js";

/**
 * llama-bench's default output (`-o md`): a markdown table, one row per test, as people paste
 * it, often with the command line above (`$ llama-bench -m … -r 3`), device lines from the
 * backend, a code fence and `build: c262bedd (5043)` below. Columns are read by name (builds add
 * threads, n_batch, type_k, fa, mmap…; unknown ones are ignored); only `test` and `t/s` are
 * needed. A `pp512` row is prompt processing (512 tokens), `tg128` generation, `pp512+tg128`
 * both with only a total; `pp 512` (builds before ~b2000) and an `@ d4096` depth are read too.
 *
 * The table gives rates, not times: `t/s` is the mean over repetitions of tokens / time, with its
 * standard deviation after `±`. A record's time is tokens / mean rate, which is the repetitions'
 * mean time only when they agree (within the ± shown); the rate itself is kept in
 * `printed.promptTokPerS` or `printed.genTokPerS` (with `printed.stddevTokPerS`). Repetitions
 * come from the command line's `-r N` when it is there; the table has no times of day, so records
 * are placed only from a manifest placement.
 *
 * The same table converted to CSV by a script (`Model,Size (GiB),Params (B),Threads,Test,Speed
 * (t/s),Error (t/s)`) is read too, as this format: a first line naming a `Test` column and a rate
 * column (`t/s`, `Speed (t/s)`), the ± in an `Error (t/s)` / `stddev` column when there is one.
 */

/** A CSV header's rate and standard-deviation columns (case-insensitive), or null when it is no bench table. */
function csvTableColumns(header: readonly string[]): { test: number; rate: number; sd: number | null } | null {
  const h = header.map((x) => x.trim().toLowerCase());
  const test = h.indexOf("test");
  const isSd = (x: string) => /error|std|stddev|\bsd\b|±/.test(x);
  const rate = h.findIndex((x) => /t\/s/.test(x) && !isSd(x));
  if (test < 0 || rate < 0 || !h.includes("model")) return null;
  const sd = h.findIndex((x) => /t\/s/.test(x) && isSd(x));
  return { test, rate, sd: sd < 0 ? null : sd };
}

/** Is this line the header of a llama-bench table written as CSV (used by detection too)? */
export function isLlamaBenchTableCsvHeader(line: string): boolean {
  if (!line.includes(",")) return false;
  const f = splitCsvLine(line.trim()).fields;
  return f !== null && csvTableColumns(f) !== null;
}

/** Where a llama-bench markdown header row is in a text (1-based line), or null. */
export function findLlamaBenchMdHeader(lines: readonly string[]): number | null {
  for (let i = 0; i < lines.length; i++) if (isHeaderRow(lines[i]!)) return i + 1;
  return null;
}

/** A markdown table row's cells (outer pipes dropped, cells trimmed), or null for a non-row. */
function cells(line: string): string[] | null {
  const t = line.trim();
  if (!t.startsWith("|") || !t.endsWith("|") || t.length < 2) return null;
  return t
    .slice(1, -1)
    .split("|")
    .map((c) => c.trim());
}

function isHeaderRow(line: string): boolean {
  const c = cells(line);
  return c !== null && c.includes("model") && c.includes("test") && c.includes("t/s");
}

const isAlignmentRow = (c: readonly string[]): boolean => c.every((x) => /^:?-+:?$/.test(x));

/** `pp512`, `tg128`, `pp512+tg128`, `pp 512`, each with an optional `@ d4096`. */
function readTest(text: string): { prompt: number; gen: number; depth: number } | null {
  const m = /^(?:(pp|tg)\s*(\d+)|pp\s*(\d+)\s*\+\s*tg\s*(\d+))(?:\s*@\s*d(\d+))?$/.exec(text);
  if (!m) return null;
  const depth = m[5] === undefined ? 0 : Number(m[5]);
  if (m[1] === "pp") return { prompt: Number(m[2]), gen: 0, depth };
  if (m[1] === "tg") return { prompt: 0, gen: Number(m[2]), depth };
  return { prompt: Number(m[3]), gen: Number(m[4]), depth };
}

/** `80.57 ± 0.33` (or `80.57 +/- 0.33`, or `80.57`) → mean and sd in tokens/s. */
function readRate(text: string): { mean: number; sd: number | null } | null {
  const m = /^(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(?:(?:±|\+\/-|\+-)\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?))?$/i.exec(text);
  if (!m) return null;
  return { mean: Number(m[1]), sd: m[2] === undefined ? null : Number(m[2]) };
}

/** `-r 3`, `-r3`, `--repetitions 3` or `--repetitions=3` on a llama-bench command line. */
function commandRepetitions(line: string): number | null {
  if (!/llama-bench/.test(line)) return null;
  const m = /(?:^|\s)(?:-r\s*|--repetitions[=\s]\s*)(\d+)(?=\s|$)/.exec(line);
  return m ? Number(m[1]) : null;
}

interface Table {
  header: string[];
  test: number;
  rate: number;
  /** CSV tables only: the column holding the rate's standard deviation. */
  sd?: number | null;
  csv?: boolean;
  line: number;
  rows: number;
}

/** Build the record of one data row, or quarantine it with the reason. */
function rowRecord(
  t: Table,
  c: readonly string[],
  where: { file: string; line: number; text: string },
  sink: ParseSink,
  repetitions: number | null,
): InferenceRecord | null {
  const reject = (reason: string): null => {
    sink.quarantine({ file: where.file, line: where.line, text: clip(where.text), reason });
    return null;
  };
  if (c.length !== t.header.length)
    return reject(`expected ${t.header.length} cells as in the header (line ${t.line}), found ${c.length}`);
  const test = readTest(c[t.test]!);
  if (!test)
    return reject(
      `column "${t.header[t.test]!}": expected pp<N>, tg<N> or pp<N>+tg<N>, found ${JSON.stringify(c[t.test])}`,
    );
  if (test.prompt + test.gen === 0) return reject("a test with 0 prompt and 0 generated tokens measures nothing");
  const rate = readRate(c[t.rate]!);
  if (!rate)
    return reject(
      `column "${t.header[t.rate]!}": expected a rate such as "80.57 ± 0.33", found ${JSON.stringify(c[t.rate])}`,
    );
  if (!(rate.mean > 0)) return reject(`column "${t.header[t.rate]!}": ${rate.mean} tokens/s is not a rate`);
  const ms = ((test.prompt + test.gen) / rate.mean) * 1000;
  const label =
    (test.gen === 0 ? `pp${test.prompt}` : test.prompt === 0 ? `tg${test.gen}` : `pp${test.prompt}+tg${test.gen}`) +
    (test.depth > 0 ? ` @ d${test.depth}` : "");
  const rec: InferenceRecord = {
    startS: null,
    endS: null,
    promptTokens: test.prompt,
    promptMs: test.gen === 0 ? ms : test.prompt === 0 ? 0 : null,
    genTokens: test.gen,
    genMs: test.prompt === 0 ? ms : test.gen === 0 ? 0 : null,
    totalMs: ms,
    correct: null,
    line: where.line,
    lineEnd: where.line,
    label,
  };
  // The printed rate of a pure pp or tg test (a combined pp+tg rate is neither; its time is kept).
  const printedRate = test.gen === 0 ? "promptTokPerS" : test.prompt === 0 ? "genTokPerS" : null;
  if (printedRate !== null) {
    rec.printed = { [printedRate]: rate.mean, ...(rate.sd === null ? {} : { stddevTokPerS: rate.sd }) };
  }
  if (repetitions !== null) rec.repetitions = repetitions;
  return rec;
}

/** The streaming parser of llama-bench markdown tables (several tables in one file restart at each header). */
export function createLlamaBenchMdParser(file: string, sink: ParseSink): LineParser<InferenceRecord> {
  let table: Table | null = null;
  let repetitions: number | null = null;
  const closeTable = (): void => {
    if (table !== null && table.rows === 0) {
      sink.warn({
        file,
        line: table.line,
        message: "the llama-bench table has a header but no result rows (did the benchmark fail?)",
      });
    }
    table = null;
  };
  const csvRow = (line: string, lineNo: number): InferenceRecord[] => {
    const t = table!;
    if (line.trim() === "") return [];
    const f = splitCsvLine(line.trim());
    if (f.fields === null) {
      sink.quarantine({ file, line: lineNo, text: clip(line), reason: f.reason });
      return [];
    }
    const c = f.fields.map((x) => x.trim());
    // The ± column joins the rate, as the markdown table prints them: "11.2 ± 0.2".
    const sd = t.sd === undefined || t.sd === null ? "" : (c[t.sd] ?? "");
    if (sd !== "" && c[t.rate] !== undefined) c[t.rate] = `${c[t.rate]!} ± ${sd}`;
    t.rows++;
    const rec = rowRecord(t, c, { file, line: lineNo, text: line }, sink, repetitions);
    return rec ? [rec] : [];
  };
  return {
    push(line, lineNo) {
      if (table?.csv === true) return csvRow(line, lineNo);
      if (table === null && isLlamaBenchTableCsvHeader(line)) {
        const header = splitCsvLine(line.trim()).fields!.map((x) => x.trim());
        const cols = csvTableColumns(header)!;
        table = { header, ...cols, csv: true, line: lineNo, rows: 0 };
        return [];
      }
      const c = cells(line);
      if (c === null) {
        // Text around the tables: a command line may say how many repetitions the next table ran.
        const r = commandRepetitions(line);
        if (r !== null) repetitions = r;
        if (line.trim() !== "" && table !== null) closeTable();
        return [];
      }
      if (isHeaderRow(line)) {
        closeTable();
        table = { header: c, test: c.indexOf("test"), rate: c.indexOf("t/s"), line: lineNo, rows: 0 };
        return [];
      }
      if (table === null || isAlignmentRow(c)) return [];
      const t: Table = table;
      t.rows++;
      const rec = rowRecord(t, c, { file, line: lineNo, text: line }, sink, repetitions);
      return rec ? [rec] : [];
    },
    end() {
      closeTable();
      return [];
    },
  };
}
