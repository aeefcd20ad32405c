import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { main } from "../../../src/cli/main.js";
import { INFERENCE_COLUMNS, RUN_COLUMNS } from "../../../src/io/processed-tables.js";
import { copyBundle, editManifest, ORIN, RPI } from "../bundle/helpers.js";

const fx = (rel: string) => fileURLToPath(new URL(`../../fixtures/${rel}`, import.meta.url));

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
  return { code, out, err };
}

/** The CLI with `stdin` as standard input. */
async function cliIn(stdin: string | Buffer, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    stdin: Readable.from([Buffer.from(stdin)]),
  });
  return { code, out, err };
}

/** A CSV table as rows of name → cell. */
function csvRows(path: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(path, "utf8").trim().split("\n");
  const names = head!.split(",");
  return rows.map((r) => Object.fromEntries(r.split(",").map((c, i) => [names[i]!, c])));
}

describe("slm-energy inspect -, and inspect of a bundle", () => {
  it("reads standard input with `-`, as it reads the same file, named <stdin> in messages", async () => {
    const path = fx("inference/llama-print-timings-old.log");
    const fromFile = await cli("inspect", path, "--json");
    const fromStdin = await cliIn(readFileSync(path), "inspect", "-", "--json");
    expect(fromStdin.code).toBe(0);
    expect(JSON.parse(fromStdin.out)).toEqual(JSON.parse(fromFile.out));
    const power = await cliIn(readFileSync(fx("bundles/orin-gpu-llama32-hellaswag/tegrastats.log")), "inspect", "-");
    expect(power.out).toMatch(/^<stdin>: tegrastats power log/);
    const bad = await cliIn("lorem ipsum\n", "inspect", "-");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/<stdin>(:1)?: cannot recognise this file/);
  });

  it("gives a bundle's per-phase energy with inferences.csv's field names and values", async () => {
    const r = await cli("inspect", ORIN, "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      kind: string;
      run: Record<string, number | string | null>;
      records: Record<string, number | string | null>[];
    };
    expect(j.kind).toBe("bundle");
    const out = mkdtempSync(join(tmpdir(), "slm-inspect-bundle-"));
    expect((await cli("ingest", ORIN, "--out", out)).code).toBe(0);
    const rows = csvRows(join(out, "inferences.csv"));
    expect(j.records).toHaveLength(rows.length);
    const columns: readonly string[] = INFERENCE_COLUMNS;
    j.records.forEach((rec, k) => {
      for (const [name, value] of Object.entries(rec)) {
        expect(columns, `inspect field ${name} is an inferences.csv column`).toContain(name);
        const cell = rows[k]![name]!;
        if (value === null) expect(cell, name).toBe("");
        else if (typeof value === "number")
          expect(Math.abs(value - Number(cell)), name).toBeLessThan(1e-6 * Math.max(1, Math.abs(value)));
        else expect(value).toBe(cell);
      }
      // The phases add up to the inference's energy, gross and net.
      expect(Number(rec.energy_prefill_j) + Number(rec.energy_decode_j)).toBeCloseTo(Number(rec.energy_gross_j), 6);
      expect(Number(rec.energy_prefill_net_j) + Number(rec.energy_decode_net_j)).toBeCloseTo(
        Number(rec.energy_net_j),
        6,
      );
      expect(rec.j_per_prompt_token).toBeCloseTo(Number(rec.energy_prefill_j) / Number(rec.prompt_tokens), 9);
      expect(rec.j_per_gen_token).toBeCloseTo(Number(rec.energy_decode_j) / Number(rec.gen_tokens), 9);
    });
    const run = csvRows(join(out, "runs.csv"))[0]!;
    const runColumns: readonly string[] = RUN_COLUMNS;
    for (const [name, value] of Object.entries(j.run)) {
      expect(runColumns, `run field ${name} is a runs.csv column`).toContain(name);
      if (typeof value === "number")
        expect(Math.abs(value - Number(run[name])), name).toBeLessThan(1e-6 * Math.max(1, Math.abs(value)));
    }
    expect(j.run.energy_prefill_wh).not.toBeNull();
    expect(j.run.tokens_per_j).not.toBeNull();
  });

  it("prints the per-phase summary of a bundle without --json, and still refuses a plain folder", async () => {
    const r = await cli("inspect", ORIN);
    expect(r.out).toMatch(/prefill {7}[\d.]+ Wh \([\d.]+ J per prompt token\)/);
    const plain = await cli("inspect", mkdtempSync(join(tmpdir(), "slm-inspect-dir-")));
    expect(plain.code).toBe(2);
    expect(plain.err).toMatch(/is not a file/);
  });
});

describe("slm-energy inspect", () => {
  it("says which option names the format a forced format did not fit; the core speaks domain words", async () => {
    const r = await cli("inspect", fx("bundles/orin-gpu-llama32-hellaswag/tegrastats.log"), "--format", "pmic");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no pmic readings in this file/);
    expect(r.err).toMatch(/or name its format; on the command line: --format NAME/);
  });

  it("prints a power log's energy by trapezoid over the whole file, as JSON with the issue's fields", async () => {
    const r = await cli(
      "inspect",
      fx("bundles/orin-gpu-llama32-hellaswag/tegrastats.log"),
      "--interval-ms",
      "100",
      "--json",
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual([
      "kind",
      "format",
      "samples",
      "duration_s",
      "energy_j",
      "mean_power_w",
      "rail",
      "total_rule",
    ]);
    expect(j.total_rule).toBe("input rail VDD_IN");
    // Independent trapezoid over VDD_IN, 100 ms apart.
    const p = readFileSync(fx("bundles/orin-gpu-llama32-hellaswag/tegrastats.log"), "utf8")
      .trim()
      .split("\n")
      .map((l) => Number(/VDD_IN (\d+)mW/.exec(l)![1]) / 1000);
    let e = 0;
    for (let i = 1; i < p.length; i++) e += ((p[i - 1]! + p[i]!) / 2) * 0.1;
    expect(j).toMatchObject({ kind: "power", format: "tegrastats", samples: 195, rail: "VDD_IN" });
    expect(Math.abs(j.energy_j - e) / e).toBeLessThan(1e-3);
    expect(j.duration_s).toBeCloseTo(19.4, 9);
    expect(j.mean_power_w).toBeCloseTo(e / 19.4, 6);
  });

  it("spaces time-less readings 1000 ms apart by default", async () => {
    const r = await cli("inspect", fx("bundles/orin-gpu-llama32-hellaswag/tegrastats.log"), "--json");
    expect(JSON.parse(r.out).duration_s).toBe(194);
  });

  it("lists an inference log's records with prompt and generation tokens and ms (missing = null)", async () => {
    const r = await cli("inspect", fx("inference/llama-print-timings-old.log"), "--json");
    expect(JSON.parse(r.out)).toEqual({
      kind: "inference",
      format: "llama-cpp",
      records: [
        { prompt_tokens: 96, prompt_ms: 2347.73, gen_tokens: 63, gen_ms: 6412.53 },
        { prompt_tokens: 1, prompt_ms: null, gen_tokens: 24, gen_ms: 2398.4 },
      ],
    });
  });

  it("lists accuracy results with stderr null when N/A, and reports the quarantined metric on stderr", async () => {
    const r = await cli("inspect", fx("inference/lm-eval-mmlu.json"), "--json");
    const j = JSON.parse(r.out);
    expect(j.kind).toBe("accuracy");
    expect(j.results).toContainEqual({
      task: "mmlu_world_religions",
      metric: "acc",
      value: 0.21,
      stderr: null,
      n: 100,
    });
    expect(r.err).toMatch(/1 row\(s\) quarantined/);
    expect(r.err).toMatch(
      /lm-eval-mmlu\.json:9: metric "acc,none" of task "mmlu_college_physics" has no numeric value/,
    );
  });

  it("honours --format and puts warnings on stderr, not stdout", async () => {
    const r = await cli("inspect", fx("inference/ollama-array.json"), "--format", "ollama-json", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).records).toHaveLength(2);
    expect(r.err).toMatch(/^warning: .*ollama-array\.json:15: prompt eval rate 33437 tokens\/s/m);
  });

  it("prints a readable summary without --json", async () => {
    const r = await cli("inspect", fx("inference/ollama-verbose.txt"));
    expect(r.out).toMatch(/ollama-verbose inference log, 2 record\(s\)/);
  });

  it("exits 2 with file, line, text and a hint for bad input", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slm-inspect-"));
    writeFileSync(join(dir, "empty.log"), "");
    writeFileSync(join(dir, "junk.txt"), "lorem ipsum\ndolor sit amet\n");
    let r = await cli("inspect", join(dir, "empty.log"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/empty\.log: the file is empty/);
    r = await cli("inspect", join(dir, "junk.txt"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /cannot recognise this file\n  offending text: "lorem ipsum"\n  hint: name its format with --format/,
    );
    r = await cli("inspect", join(dir, "junk.txt"), "--format", "csv");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown format "csv"/);
    r = await cli("inspect", join(dir, "missing.log"));
    expect(r.code).toBe(2);
    r = await cli("inspect", fx("inference/collector.jsonl"), "--interval-ms", "-5");
    expect(r.code).toBe(2);
  });

  it("has --help", async () => {
    const r = await cli("inspect", "--help");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: slm-energy inspect <file> \[--format F\] \[--interval-ms N\] \[--json\]/);
  });
});

describe("slm-energy ingest", () => {
  it("writes the four processed tables and prints the summary JSON with --json", async () => {
    const out = mkdtempSync(join(tmpdir(), "slm-ingest-"));
    const r = await cli("ingest", ORIN, RPI, "--out", out, "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.totals).toEqual({ runs: 2, inferences: 13, quarantined: 0, warnings: 5 });
    expect(JSON.parse(readFileSync(join(out, "ingest-summary.json"), "utf8"))).toEqual(j);
    const runs = readFileSync(join(out, "runs.csv"), "utf8").trim().split("\n");
    expect(runs).toHaveLength(3);
    expect(runs[0]).toMatch(
      /^run_id,device,backend,power_mode,model,quantization,runtime,benchmark,meter,simulated,inferences,/,
    );
    expect(readFileSync(join(out, "inferences.csv"), "utf8").trim().split("\n")).toHaveLength(14);
    expect(r.err).toMatch(/5 inferences 0, 1, 2, 3, 4: placed back to back/);
  });

  it("keeps warnings coded in --json and groups identical ones on stderr", async () => {
    const out = mkdtempSync(join(tmpdir(), "slm-ingest-"));
    const r = await cli("ingest", RPI, "--out", out, "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { runs: { warnings: { code: string; inference?: number }[] }[] };
    const placed = j.runs[0]!.warnings.filter((w) => w.code === "placed");
    expect(placed.map((w) => w.inference)).toEqual([0, 1, 2, 3, 4]);
    expect(r.err.match(/placed back to back/g)).toHaveLength(1); // one line for the five
  });

  it("is idempotent: a second run reports every table unchanged", async () => {
    const out = mkdtempSync(join(tmpdir(), "slm-ingest-"));
    await cli("ingest", ORIN, "--out", out);
    const again = await cli("ingest", ORIN, "--out", out);
    expect(again.out).toMatch(
      /inferences\.csv \(unchanged\), runs\.csv \(unchanged\), quarantine\.csv \(unchanged\), ingest-summary\.json \(unchanged\)/,
    );
  });

  it("exits 2 naming manifest, field and hint for an unsafe bundle, and writes nothing", async () => {
    const dir = copyBundle(ORIN);
    editManifest(dir, (m) => ((m.files as Record<string, unknown>).power = ["../../etc/passwd"]));
    const out = mkdtempSync(join(tmpdir(), "slm-ingest-"));
    const r = await cli("ingest", dir, "--out", out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/manifest\.json: field "files\.power\[0\]": a path with "\.\." may leave the bundle/);
    expect(r.err).toMatch(/hint: name raw files by paths relative to the bundle folder/);
    expect(() => readFileSync(join(out, "runs.csv"))).toThrow();
  });

  it("counts quarantined rows on stderr and still succeeds", async () => {
    const dir = copyBundle(ORIN);
    const p = join(dir, "inferences.jsonl");
    writeFileSync(p, readFileSync(p, "utf8") + '{"schema":"slm-energy/inference@1","index":8,\n');
    const out = mkdtempSync(join(tmpdir(), "slm-ingest-"));
    const r = await cli("ingest", dir, "--out", out);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/1 row\(s\) quarantined in run orin-gpu-llama32-hellaswag \(see quarantine\.csv\)/);
    expect(readFileSync(join(out, "quarantine.csv"), "utf8")).toMatch(
      /^file,line,text,reason\norin-gpu-llama32-hellaswag\/inferences\.jsonl,9,/,
    );
  });

  it("refuses to run without a bundle, with a usage error", async () => {
    const r = await cli("ingest");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/give at least one bundle folder/);
  });
});
