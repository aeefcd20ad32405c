import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BLOCK_BYTES } from "../../../src/ingest/power/split.js";
import { bundledRawDirs } from "../../../src/pipeline/bundled-raw.js";
import { ROOT, runCli } from "../../helpers.js";

// The workers run the compiled modules (dist/pipeline/ingest/worker.js): build them when the
// sources are newer.
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const dir = mkdtempSync(join(tmpdir(), "slm-jobs-"));
beforeAll(() => {
  const worker = join(ROOT, "dist/pipeline/ingest/worker.js");
  let built = 0;
  try {
    built = statSync(worker).mtimeMs;
  } catch {
    built = 0;
  }
  if (built < newest(join(ROOT, "src")))
    execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.json")]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every file under a folder (the Parquet copy's partitions included), by relative path, as base64. */
const filesOf = (d: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(d, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => {
        const p = join(e.parentPath, e.name);
        return [p.slice(d.length + 1), readFileSync(p).toString("base64")];
      }),
  );

/** `ingest` with --jobs 1 and --jobs N into two folders: their files and messages (folder names made equal). */
async function bothWays(bundles: string[], jobs: number) {
  const out = [];
  for (const j of [1, jobs]) {
    const o = join(dir, `out-${out.length}-${Math.random().toString(36).slice(2)}`);
    const r = await runCli(["ingest", ...bundles, "--out", o, "--jobs", String(j)]);
    out.push({
      ...r,
      stdout: r.stdout.replaceAll(o, "OUT"),
      stderr: r.stderr.replaceAll(o, "OUT"),
      files: r.code === 0 ? filesOf(o) : {},
    });
  }
  return out;
}

describe("ingest --jobs", () => {
  it("writes the bundled raw data byte for byte as --jobs 1 does", async () => {
    const [one, two] = await bothWays(bundledRawDirs(ROOT), 2);
    expect(one!.code).toBe(0);
    expect(two).toEqual(one);
    expect(Object.keys(one!.files)).toContain("inferences.csv");
  });

  it("writes simulated bundles of mixed meters, damaged, as --jobs 1 does", async () => {
    const sims: string[] = [];
    const specs = [
      ["jetson-orin-nano", "tegrastats", "llama.cpp"],
      ["raspberry-pi-5", "pmic", "ollama"],
      ["jetson-orin-nano", "usb-csv", "collector"],
      ["jetson-orin-nano", "rapl", "llama-bench"],
    ];
    for (const [i, [device, meter, runtime]] of specs.entries()) {
      const out = join(dir, `sim-${i}`);
      const args = [
        "simulate",
        "--device",
        device!,
        "--backend",
        "cpu",
        "--model",
        "tinyllama-1.1b",
        "--benchmark",
        "winogrande",
      ];
      const r = await runCli([
        ...args,
        "--meter",
        meter!,
        "--runtime",
        runtime!,
        "--inferences",
        "6",
        "--seed",
        String(i + 3),
        "--damage",
        "garbage,duplicate",
        "--out",
        out,
      ]);
      expect(r.stderr).toBe("");
      sims.push(out);
    }
    const [one, three] = await bothWays(sims, 3);
    expect(one!.code).toBe(0);
    expect(one!.stderr).toMatch(/quarantined/);
    expect(three).toEqual(one);
  });

  it("reports a bad bundle from a worker as the same error as in-process, without a stack trace", async () => {
    const bad = join(dir, "bad");
    cpSync(join(ROOT, "data/raw/sim-nano-tinyllama-winogrande-usb"), bad, { recursive: true });
    const csv = join(bad, "usb-meter.csv");
    writeFileSync(csv, readFileSync(csv, "utf8").replace("current_A", "current [kA]"));
    const [one, two] = await bothWays([bundledRawDirs(ROOT)[0]!, bad], 2);
    expect(one!.code).toBe(2);
    expect(one!.stderr).toMatch(/usb-meter\.csv:1: field "current \[kA\]": unknown unit "kA"/);
    expect(two).toEqual(one);
    expect(two!.stderr).not.toMatch(/\n\s+at /);
  });

  it("reads a power CSV larger than a block across workers with the one-worker result", async () => {
    // A simulated USB-meter bundle (data/raw) whose 10 Hz trace is resampled to 10 kHz by linear
    // interpolation (synthetic), with garbage and duplicate lines: over one block, so it is split.
    const big = join(dir, "big");
    cpSync(join(ROOT, "data/raw/sim-nano-tinyllama-winogrande-usb"), big, { recursive: true });
    const csv = join(big, "usb-meter.csv");
    const rows = readFileSync(csv, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(",").map(Number));
    const lines = ["time_s,voltage_V,current_A"];
    for (let i = 1; i < rows.length; i++) {
      const [t0, v0, a0] = rows[i - 1]!;
      const [t1, v1, a1] = rows[i]!;
      const steps = Math.round((t1! - t0!) / 1e-4);
      for (let k = 0; k < steps; k++) {
        const f = k / steps;
        const t = (t0! + (t1! - t0!) * f).toFixed(4);
        lines.push(`${t},${(v0! + (v1! - v0!) * f).toFixed(4)},${(a0! + (a1! - a0!) * f).toFixed(5)}`);
        if (k === 500 && i % 37 === 0) lines.push(`${t},${v0},garbage`);
        if (k === 250 && i % 53 === 0) lines.push(lines[lines.length - 1]!);
      }
    }
    writeFileSync(csv, lines.join("\n") + "\n");
    expect(statSync(csv).size).toBeGreaterThan(BLOCK_BYTES);
    const [one, two] = await bothWays([big], 2);
    expect(one!.code).toBe(0);
    expect(one!.stderr).toMatch(/quarantined/);
    expect(two).toEqual(one);
  });
});
