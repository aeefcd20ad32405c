/**
 * Issue 13's input defects 18, 20 and the rest of 27: each bad input is an input error (exit 2)
 * naming file, line and field in domain words, never a silent result or an internal-API hint.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseTaskJsonl } from "../../src/eval/index.js";
import { isSlmError } from "../../src/errors.js";
import { utf16Encoding } from "../../src/ingest/inference/lines.js";
import { parseJsonDocument } from "../../src/io/json.js";
import { loadManifest } from "../../src/io/manifest.js";
import { ingestBundle } from "../../src/pipeline/ingest/bundle.js";
import { inspectFile } from "../../src/pipeline/ingest/inspect.js";
import { runCli } from "../helpers.js";
import { copyBundle, editManifest, ORIN } from "../ingest/bundle/helpers.js";

type Failure = Error & { code: string; exitCode: number; file?: string; line?: number; field?: string; hint?: string };

async function failure(fn: () => unknown): Promise<Failure> {
  try {
    await fn();
  } catch (e) {
    if (isSlmError(e)) return e as never;
    throw e;
  }
  throw new Error("expected an error");
}

const out = () => mkdtempSync(join(tmpdir(), "slm-out-"));
const LLAMA =
  "llama_perf_context_print: prompt eval time =  4082.84 ms /  30 tokens\n" +
  "llama_perf_context_print:        eval time = 75642.80 ms / 380 runs\n";

describe("issue 13 #18: UTF-16 inference logs are refused with the reason", () => {
  it.each([
    ["with a byte-order mark", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(LLAMA, "utf16le")]), "UTF-16LE"],
    ["without one", Buffer.from(LLAMA, "utf16le"), "UTF-16LE"],
    ["big-endian", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(LLAMA, "utf16le").swap16()]), "UTF-16BE"],
  ])("%s: inspect and ingest say so at line 1, with how to convert", async (_, bytes, encoding) => {
    expect(utf16Encoding(bytes)).toBe(encoding);
    const dir = mkdtempSync(join(tmpdir(), "slm-utf16-"));
    writeFileSync(join(dir, "llama.log"), bytes);
    const e = await failure(() => inspectFile(join(dir, "llama.log"), { displayName: "llama.log" }));
    expect(e).toMatchObject({ code: "E_INPUT", file: "llama.log", line: 1 });
    expect(e.message).toMatch(new RegExp(`${encoding} text`));
    expect(e.hint).toMatch(/iconv -f UTF-16/);
    const forced = await failure(() => inspectFile(join(dir, "llama.log"), { format: "llama-cpp" }));
    expect(forced.message).toMatch(/UTF-16/);
    const b = copyBundle(ORIN);
    writeFileSync(join(b, "inferences.jsonl"), bytes);
    const r = await runCli(["ingest", b, "--out", out()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/inferences\.jsonl:1: the file is UTF-16/);
  });

  it("UTF-8 and ASCII logs are not mistaken for UTF-16", () => {
    expect(utf16Encoding(Buffer.from(LLAMA))).toBeNull();
    expect(utf16Encoding(Buffer.from("é€ 4082,84 ms / 30 tokens\n".repeat(5)))).toBeNull();
  });
});

describe("issue 13 #18: a log whose every record is quarantined", () => {
  it("names the first line and its reason, and writes its quarantine beside the untouched tables", async () => {
    const b = copyBundle(ORIN);
    const p = join(b, "inferences.jsonl");
    writeFileSync(p, readFileSync(p, "utf8").replace(/"prefill_ms":(\d)/g, '"prefill_ms":-$1'));
    const e = await failure(() => ingestBundle(b));
    expect(e).toMatchObject({ file: "orin-gpu-llama32-hellaswag/inferences.jsonl", line: 1 });
    expect(e.message).toMatch(
      /^no inference records in this file \(8 line\(s\) quarantined; the first, line 1: field "prefill_ms": expected milliseconds \(a number ≥ 0\), found -810\)/,
    );
    const o = out();
    writeFileSync(join(o, "runs.csv"), "old\n");
    const r = await runCli(["ingest", b, "--out", o]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/8 row\(s\) quarantined before the ingest failed/);
    const q = readFileSync(join(o, "quarantine-failed.csv"), "utf8").trim().split("\n");
    expect(q[0]).toBe("file,line,text,reason");
    expect(q).toHaveLength(9);
    expect(q[1]).toMatch(/^orin-gpu-llama32-hellaswag\/inferences\.jsonl,1,.*found -810"$/);
    expect(readFileSync(join(o, "runs.csv"), "utf8")).toBe("old\n"); // the set is left as it was
    expect(existsSync(join(o, "quarantine.csv"))).toBe(false);
  });
});

describe("issue 13 #20: an impossible clock offset is a manifest error", () => {
  it.each([1e308, -1e308, 1e11])("clock_offset_s %s names the field, with no internal API in the hint", async (v) => {
    const b = copyBundle(ORIN);
    editManifest(b, (m) => void (m.clock_offset_s = v));
    const e = await failure(() => loadManifest(b));
    expect(e).toMatchObject({ code: "E_INPUT", field: "clock_offset_s", line: 11 });
    expect(e.message).toMatch(/expected seconds between -10000000000 and 10000000000/);
    expect(e.hint).not.toMatch(/readPowerLog|quarantines readings/);
    const r = await runCli(["ingest", b, "--out", out()]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/out of time order/);
  });

  it("placement and idle windows get the same bound", async () => {
    const b = copyBundle(ORIN);
    editManifest(b, (m) => void ((m.files as Record<string, unknown>).idle = { start_s: 0, end_s: 1e308 }));
    const e = await failure(() => loadManifest(b));
    expect(e.field).toBe("files.idle.end_s");
  });
});

describe("issue 13 #27, the rest", () => {
  it("a UTF-8 BOM in an eval task file is no part of the first record", () => {
    const line = JSON.stringify({ question: "2+2?", choices: ["3", "4", "5", "6"], answer: 1, subject: "math" });
    const t = parseTaskJsonl(`\uFEFF${line}\n${line}\n`, "mmlu");
    expect(t.rejected).toEqual([]);
    expect(t.items).toHaveLength(2);
  });

  it("duplicate JSON keys are an error naming both lines", async () => {
    const e = await failure(() =>
      parseJsonDocument('{\n  "a": 1,\n  "b": {"c": 1,\n "c": 2},\n  "a": 3\n}\n', "x.json"),
    );
    expect(e).toMatchObject({ code: "E_INPUT", file: "x.json", line: 4, field: "b.c" });
    expect(e.message).toMatch(/^invalid JSON: duplicate key "c"/);
    expect(e.hint).toMatch(/"c" is given at lines 3 and 4/);
    expect(JSON.stringify(e)).toMatch(/\\"a\\" is given at lines 2 and 5/);
    const b = copyBundle(ORIN);
    const p = join(b, "manifest.json");
    writeFileSync(p, readFileSync(p, "utf8").replace('"backend": "gpu",', '"backend": "gpu",\n  "backend": "cpu",'));
    const m = await failure(() => loadManifest(b));
    expect(m).toMatchObject({ field: "backend", line: 5 });
    expect(m.hint).toMatch(/lines 4 and 5/);
  });

  it('"power": ["."] is reported as a folder, not a symbolic link', async () => {
    const b = copyBundle(ORIN);
    editManifest(b, (m) => void ((m.files as Record<string, unknown>).power = ["."]));
    const e = await failure(() => ingestBundle(b));
    expect(e).toMatchObject({ code: "E_INPUT", field: "files.power[0]" });
    expect(e.message).toMatch(/a folder \(the bundle folder itself\)/);
    expect(e.message).not.toMatch(/symbolic link/);
  });

  it("a 1 MB unknown manifest key is warned about, quickly", () => {
    const b = copyBundle(ORIN);
    editManifest(b, (m) => void (m.junk = "x".repeat(1_000_000)));
    const t0 = performance.now();
    const loaded = loadManifest(b);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(loaded.warnings.join("\n")).toMatch(/unknown key "junk" ignored/);
  });
});
