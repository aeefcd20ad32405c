import type { InferenceRecord, PrintedFacts } from "../types.js";
import { splitCsvLine } from "./csv-line.js";
import { createJsonSplitter, parseJsonObject } from "./json-values.js";
import { clip, type LineParser, type ParseSink } from "./sink.js";
import { isoToEpochS } from "./units.js";

/**
 * llama-bench results, CSV (`-o csv`) or JSON (`-o json`, an array; `-o jsonl`, one object per
 * line). Fields are read by name, since they change between builds; unknown ones are ignored.
 * One record per test: a `pp` test (n_gen = 0) is prompt processing, a `tg` test
 * (n_prompt = 0) is generation, a `pg` test has both and only a total time. The time is
 * `avg_ns` (mean over repetitions; the mean of `samples_ns` when `avg_ns` is absent). llama-bench
 * times exclude tokenization and sampling, and `test_time` is when the test (with its
 * repetitions) started, so a record's start is set but its end is not.
 */

type Fields = Record<string, unknown>;

function num(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && v.trim() !== "") {
    const x = Number(v.trim());
    return Number.isFinite(x) ? x : null;
  }
  return null;
}

function samples(v: unknown): number[] | null {
  if (Array.isArray(v)) {
    const xs = v.map(num);
    return xs.every((x): x is number => x !== null) ? xs : null;
  }
  if (typeof v === "string" && v.trim() !== "") {
    const xs = v
      .trim()
      .replace(/^\[|\]$/g, "")
      .split(/[\s,;]+/)
      .filter((s) => s !== "")
      .map(num);
    return xs.every((x): x is number => x !== null) ? xs : null;
  }
  return null;
}

/** Build the record of one llama-bench test, or quarantine it with the reason. */
export function llamaBenchRecord(
  fields: Fields,
  where: { file: string; line: number; lineEnd: number; text: string },
  sink: ParseSink,
): InferenceRecord | null {
  const { file, line, lineEnd, text } = where;
  const reject = (reason: string): null => {
    sink.quarantine({ file, line, text: clip(text), reason });
    return null;
  };
  const nPrompt = num(fields.n_prompt);
  const nGen = num(fields.n_gen);
  if (nPrompt === null || !Number.isInteger(nPrompt) || nPrompt < 0)
    return reject(`field "n_prompt": expected a token count, found ${JSON.stringify(fields.n_prompt ?? null)}`);
  if (nGen === null || !Number.isInteger(nGen) || nGen < 0)
    return reject(`field "n_gen": expected a token count, found ${JSON.stringify(fields.n_gen ?? null)}`);
  if (nPrompt === 0 && nGen === 0) return reject("a test with n_prompt = 0 and n_gen = 0 measures nothing");
  const samplesNs = samples(fields.samples_ns);
  if (fields.samples_ns !== undefined && fields.samples_ns !== "" && samplesNs === null) {
    return reject(`field "samples_ns": expected numbers, found ${clip(JSON.stringify(fields.samples_ns), 80)}`);
  }
  let avgNs = num(fields.avg_ns);
  if (fields.avg_ns !== undefined && fields.avg_ns !== "" && avgNs === null) {
    return reject(`field "avg_ns": expected a number of nanoseconds, found ${JSON.stringify(fields.avg_ns)}`);
  }
  if (avgNs === null && samplesNs && samplesNs.length > 0)
    avgNs = samplesNs.reduce((a, b) => a + b, 0) / samplesNs.length;
  if (avgNs === null) return reject("no avg_ns (nor samples_ns): the test has no time");
  if (avgNs <= 0) return reject(`field "avg_ns": ${avgNs} ns is not a duration`);
  if (samplesNs && samplesNs.length > 0) {
    const mean = samplesNs.reduce((a, b) => a + b, 0) / samplesNs.length;
    if (Math.abs(mean - avgNs) > 0.01 * avgNs) {
      sink.warn({
        file,
        line,
        message: `avg_ns ${avgNs} differs from the mean of samples_ns (${mean.toFixed(0)}) by more than 1%`,
      });
    }
  }
  const avgMs = avgNs / 1e6;
  const depth = num(fields.n_depth) ?? 0;
  const label =
    (nGen === 0 ? `pp${nPrompt}` : nPrompt === 0 ? `tg${nGen}` : `pp${nPrompt}+tg${nGen}`) +
    (depth > 0 ? ` @ d${depth}` : "");
  let startS: number | null = null;
  if (typeof fields.test_time === "string" && fields.test_time.trim() !== "") {
    const t = isoToEpochS(fields.test_time);
    if (t) startS = t.epochS;
    else
      sink.warn({
        file,
        line,
        message:
          `field "test_time": cannot read ${JSON.stringify(fields.test_time)} as a date-time; ` + "start left unknown",
      });
  }
  const rec: InferenceRecord = {
    startS,
    endS: null,
    promptTokens: nPrompt,
    promptMs: nGen === 0 ? avgMs : nPrompt === 0 ? 0 : null,
    genTokens: nGen,
    genMs: nPrompt === 0 ? avgMs : nGen === 0 ? 0 : null,
    totalMs: avgMs,
    correct: null,
    line,
    lineEnd,
    label,
  };
  const reps = num(fields.repetitions) ?? (samplesNs ? samplesNs.length : null);
  if (reps !== null) rec.repetitions = reps;
  if (samplesNs) rec.samplesMs = samplesNs.map((x) => x / 1e6);
  rec.printed = printedFacts(fields, nPrompt, nGen);
  return rec;
}

/** Older builds print one 0/1 column per backend (`cuda`, `metal` …) instead of `backends`: the names set. */
function oldBackendFlags(fields: Fields): string | undefined {
  const set = ["cuda", "vulkan", "metal", "opencl", "sycl", "kompute", "gpu_blas", "blas"].filter(
    (k) => num(fields[k]) === 1 || fields[k] === true,
  );
  return set.length === 0 ? undefined : set.map((k) => k.toUpperCase()).join(",");
}

/** The configuration columns and the printed rate of one test, as llama-bench prints them. */
function printedFacts(fields: Fields, nPrompt: number, nGen: number): PrintedFacts {
  const out: PrintedFacts = {};
  const text = (k: string): string | undefined =>
    typeof fields[k] === "string" && fields[k].trim() !== "" ? fields[k].trim() : undefined;
  const put = <K extends keyof PrintedFacts>(key: K, v: PrintedFacts[K] | null | undefined): void => {
    if (v !== undefined && v !== null) out[key] = v;
  };
  const ts = num(fields.avg_ts);
  if (nGen === 0) put("promptTokPerS", ts);
  else if (nPrompt === 0) put("genTokPerS", ts);
  put("stddevTokPerS", num(fields.stddev_ts));
  put("buildCommit", text("build_commit"));
  put("buildNumber", num(fields.build_number));
  put("cpuInfo", text("cpu_info"));
  put("gpuInfo", text("gpu_info"));
  put("backends", text("backends") ?? oldBackendFlags(fields));
  put("modelFilename", text("model_filename"));
  put("modelType", text("model_type"));
  put("modelNParams", num(fields.model_n_params));
  put("threads", num(fields.n_threads));
  put("gpuLayers", num(fields.n_gpu_layers));
  return out;
}

/** llama-bench `-o csv`: a header row, then one row per test. */
export function createLlamaBenchCsvParser(file: string, sink: ParseSink): LineParser<InferenceRecord> {
  let header: string[] | null = null;
  return {
    push(line, lineNo) {
      if (line.trim() === "") return [];
      const split = splitCsvLine(line);
      if (split.fields === null) {
        sink.quarantine({ file, line: lineNo, text: clip(line), reason: split.reason });
        return [];
      }
      const fields = split.fields;
      if (header === null) {
        header = fields.map((h) => h.trim());
        for (const need of ["n_prompt", "n_gen"]) {
          if (!header.includes(need)) {
            sink.warn({
              file,
              line: lineNo,
              message: `the header has no "${need}" column: every row will be quarantined`,
            });
          }
        }
        return [];
      }
      // A repeated header (several llama-bench runs appended to one file) restarts the table.
      if (fields.map((h) => h.trim()).join(",") === header.join(",")) return [];
      if (fields.length !== header.length) {
        sink.quarantine({
          file,
          line: lineNo,
          text: clip(line),
          reason: `expected ${header.length} fields as in the header, found ${fields.length}`,
        });
        return [];
      }
      const values: Fields = {};
      header.forEach((h, i) => (values[h] = fields[i]));
      const rec = llamaBenchRecord(values, { file, line: lineNo, lineEnd: lineNo, text: line }, sink);
      return rec ? [rec] : [];
    },
    end: () => [],
  };
}

/** llama-bench `-o json` (array) or `-o jsonl` (one object per line). */
export function createLlamaBenchJsonParser(file: string, sink: ParseSink): LineParser<InferenceRecord> {
  const splitter = createJsonSplitter(file, sink);
  const convert = (chunks: ReturnType<typeof splitter.push>): InferenceRecord[] => {
    const out: InferenceRecord[] = [];
    for (const chunk of chunks) {
      const obj = parseJsonObject(chunk, file, sink);
      if (!obj) continue;
      const rec = llamaBenchRecord(obj, { file, line: chunk.line, lineEnd: chunk.lineEnd, text: chunk.text }, sink);
      if (rec) out.push(rec);
    }
    return out;
  };
  return {
    push: (line, lineNo) => convert(splitter.push(line, lineNo)),
    end: () => convert(splitter.end()),
  };
}
