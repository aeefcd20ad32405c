import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CORPUS_COLUMNS, readCorpus } from "../../src/io/corpus.js";
import { PATHS } from "../../src/pipeline/paths.js";
import { ROOT, runCli } from "../helpers.js";

const CORPUS = join(ROOT, PATHS.communityCorpus);
const FIXTURES = join(ROOT, "test/fixtures");
const LLAMA_BENCH_CSV = join(FIXTURES, "inference/llama-bench.csv");
const LLAMA_BENCH_JSON = join(FIXTURES, "inference/llama-bench.json");
const OLLAMA_VERBOSE = join(FIXTURES, "inference/ollama-verbose.txt");
const BUNDLE = join(FIXTURES, "bundles/rpi5-tinyllama-mmlu");

/** A scratch copy of the bundled corpus, for commands that append to it. */
function scratchCorpus(): string {
  const path = join(mkdtempSync(join(tmpdir(), "slm-corpus-")), "corpus.csv");
  copyFileSync(CORPUS, path);
  return path;
}

const PROVENANCE = ["--source", "someone/bench-results", "--locator", "results/bench.csv @ 0123abcd lines 1-4"];

describe("slm-energy corpus", () => {
  it("check passes on the bundled corpus and prints a one-screen summary", async () => {
    const r = await runCli(["corpus", "check"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const n = readCorpus(CORPUS).length;
    expect(r.stdout).toMatch(new RegExp(`${n} rows, all valid`));
    for (const k of ["boards", "models", "runtimes", "sources", "with power"]) expect(r.stdout).toContain(k);
    expect(r.stdout.split("\n").length).toBeLessThan(12);
  });

  it("check reports several bad cells of a broken copy at once, with line and column, exit 2", async () => {
    const path = scratchCorpus();
    const lines = readFileSync(path, "utf8").split("\r\n");
    lines[1] = lines[1]!.replace(",cuda,llama.cpp,", ",gpu,llama.cpp,");
    lines[2] = lines[2]!.replace(",2026-02-24,", ",24.02.2026,");
    lines[3] = lines[3]!.replace(/^[^,]+,/, "Not A Slug,");
    writeFileSync(path, lines.join("\r\n"));
    const r = await runCli(["corpus", "check", path]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/:2: field "backend"/);
    expect(r.stderr).toMatch(/line 3, field "source_date"/);
    expect(r.stderr).toMatch(/line 4, field "row_id"/);
  });

  it("--json lists the rows with the corpus's own column names, numbers as numbers and null when empty", async () => {
    const r = await runCli(["corpus", "--json"]);
    expect(r.code).toBe(0);
    const { rows } = JSON.parse(r.stdout) as { rows: Record<string, unknown>[] };
    expect(rows).toHaveLength(readCorpus(CORPUS).length);
    for (const row of rows) expect(Object.keys(row)).toEqual([...CORPUS_COLUMNS]);
    const first = rows[0]!;
    expect(typeof first.decode_tok_s).toBe("number");
    expect(typeof first.prompt_tokens).toBe("number");
    expect(first.power_w).toBeNull();
    expect(rows.every((x) => typeof x.source === "string" && typeof x.row_id === "string")).toBe(true);

    const filtered = await runCli(["corpus", "list", "--json", "--board", "jetson-nano", "--runtime", "ollama"]);
    const some = (JSON.parse(filtered.stdout) as { rows: Record<string, unknown>[] }).rows;
    expect(some.length).toBeGreaterThan(0);
    expect(some.every((x) => x.board === "jetson-nano" && x.runtime === "ollama")).toBe(true);

    const table = await runCli(["corpus", "--board", "jetson-nano"]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/board\s+model\s+quant\s+runtime\s+prefill\s+decode\s+source/);
  });

  it("add turns a llama-bench CSV into one row per pp/tg pair with the printed rates; the old rows stay byte-identical", async () => {
    const path = scratchCorpus();
    const before = readFileSync(path);
    const r = await runCli([
      "corpus",
      "add",
      LLAMA_BENCH_CSV,
      "--board",
      "raspberry-pi-5",
      ...PROVENANCE,
      "--out",
      path,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/added 1 row\(s\) from .*llama-bench-csv/);
    // the combined pp512+tg128 test has no separate rates: said, not silently dropped
    expect(r.stderr).toMatch(/skipped: .*pp512\+tg128/);
    const after = readFileSync(path);
    expect(after.subarray(0, before.length).equals(before)).toBe(true);
    const added = after.subarray(before.length).toString("utf8");
    expect(added.endsWith("\r\n")).toBe(true);
    expect(added.split("\r\n")).toHaveLength(2);
    const rows = readCorpus(path);
    const row = rows[rows.length - 1]!;
    expect(row).toMatchObject({
      board: "raspberry-pi-5",
      backend: "cpu",
      runtime: "llama.cpp",
      runtimeVersion: "eb7cf15a (4589)",
      threads: 4,
      gpuLayers: "0",
      model: "tinyllama-1.1b-chat-v1.0",
      modelParamsB: 1.100048384,
      quantization: "Q4_0",
      quantSource: "printed",
      promptTokens: 512,
      prefillTokPerS: 54.09328,
      generatedTokens: 128,
      decodeTokPerS: 11.36855,
      powerW: null,
      source: { kind: "github-file", name: "someone/bench-results", locator: "results/bench.csv @ 0123abcd lines 1-4" },
    });
    expect(row.notes).toMatch(/pp512 ± 0.268184, tg128 ± 0.048306/);

    // the same file again: refused, nothing written
    const again = await runCli([
      "corpus",
      "add",
      LLAMA_BENCH_CSV,
      "--board",
      "raspberry-pi-5",
      ...PROVENANCE,
      "--out",
      path,
    ]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already in the corpus/);
    expect(readFileSync(path).equals(after)).toBe(true);
  });

  it("add reads a llama-bench JSON (the real column set, a CUDA run written here) and names its options", async () => {
    const path = scratchCorpus();
    const tests = (JSON.parse(readFileSync(LLAMA_BENCH_JSON, "utf8")) as Record<string, unknown>[]).map((t) => ({
      ...t,
      build_commit: "c262bedd",
      build_number: 5043,
      backends: "CUDA",
      gpu_info: "Orin",
      n_gpu_layers: 99,
      model_type: "llama 1B Q4_K - Medium",
      avg_ts: t.n_gen === 0 ? 812.25 : 41.5,
    }));
    const dir = mkdtempSync(join(tmpdir(), "slm-bench-"));
    const json = join(dir, "bench.json");
    writeFileSync(json, JSON.stringify(tests, null, 2));
    const args = ["corpus", "add", json, "--board", "jetson-agx-orin", "--model", "tinyllama-1.1b-chat"];
    const out = await runCli([
      ...args,
      "--source",
      "https://github.com/o/r/issues/12",
      "--locator",
      "o, comment 2025-03-01",
      "--date",
      "2025-03-01",
      "--out",
      path,
      "--json",
    ]);
    expect(out.code).toBe(0);
    const { added } = JSON.parse(out.stdout) as { added: Record<string, unknown>[] };
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      backend: "cuda",
      gpu_layers: "99",
      runtime_version: "c262bedd (5043)",
      model: "tinyllama-1.1b-chat",
      quantization: "Q4_K - Medium",
      prefill_tok_s: 812.25,
      decode_tok_s: 41.5,
      source_kind: "github-issue",
      source: "o/r issue #12",
      source_date: "2025-03-01",
    });
  });

  it("add reads an `ollama run --verbose` output: one row per answer, the printed rates", async () => {
    const path = scratchCorpus();
    const base = ["corpus", "add", OLLAMA_VERBOSE, "--board", "raspberry-pi-5", ...PROVENANCE, "--out", path];
    const noBackend = await runCli([...base, "--model", "llama3.2-3b"]);
    expect(noBackend.code).toBe(2);
    expect(noBackend.stderr).toMatch(/does not print the backend[\s\S]*--backend/);
    const noModel = await runCli([...base, "--backend", "cpu"]);
    expect(noModel.code).toBe(2);
    expect(noModel.stderr).toMatch(/does not print the model[\s\S]*--model/);
    const r = await runCli([...base, "--model", "llama3.2-3b", "--backend", "cpu"]);
    expect(r.code).toBe(0);
    const rows = readCorpus(path).slice(-2);
    expect(rows.map((x) => [x.promptTokens, x.prefillTokPerS, x.generatedTokens, x.decodeTokPerS])).toEqual([
      [26, 110.35, 21, 14.17],
      [14, 11.63, 412, 6.73],
    ]);
    expect(
      rows.every((x) => x.runtime === "ollama" && x.quantization === null && x.quantSource === "default-tag"),
    ).toBe(true);
    const again = await runCli([...base, "--model", "llama3.2-3b", "--backend", "cpu"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/2 of the 2 rows are already in the corpus/);
  });

  it("add reads an ingested bundle: one row with the rates and mean power the ingest computes", async () => {
    const path = scratchCorpus();
    const r = await runCli(["corpus", "add", BUNDLE, "--board", "raspberry-pi-5", ...PROVENANCE, "--out", path]);
    expect(r.code).toBe(0);
    const row = readCorpus(path).at(-1)!;
    expect(row).toMatchObject({
      model: "tinyllama-1.1b",
      quantization: "Q4_0",
      runtime: "llama.cpp",
      powerKind: "rail-avg",
    });
    expect(row.decodeTokPerS).toBeGreaterThan(0);
    expect(row.notes).toMatch(/ingested by slm-energy/);
  });

  it("add refuses a missing source or locator, and files it cannot read as rows", async () => {
    const path = scratchCorpus();
    const noSource = await runCli(["corpus", "add", LLAMA_BENCH_CSV, "--board", "raspberry-pi-5", "--out", path]);
    expect(noSource.code).toBe(2);
    expect(noSource.stderr).toMatch(/--source/);
    const badBoard = await runCli(["corpus", "add", LLAMA_BENCH_CSV, "--board", "Pi 5", ...PROVENANCE, "--out", path]);
    expect(badBoard.code).toBe(2);
    expect(badBoard.stderr).toMatch(/board id "Pi 5" is not a lowercase id[\s\S]*--board/);
    const power = join(FIXTURES, "inference/llama-server.log");
    const wrong = await runCli(["corpus", "add", power, "--board", "raspberry-pi-5", ...PROVENANCE, "--out", path]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/corpus add reads llama-bench/);
    expect(readFileSync(path).equals(readFileSync(CORPUS))).toBe(true);
  });
});
