import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ingestBundle } from "../../../src/pipeline/ingest/bundle.js";
import { referenceEnergyJ } from "./helpers.js";

const T0 = 1_763_800_000;

/** A folder with the given files and manifest. */
function bundle(name: string, files: Record<string, string>, manifest: Record<string, unknown>): string {
  const dir = join(mkdtempSync(join(tmpdir(), "slm-bundle-")), name);
  mkdirSync(dir);
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({ schema: "slm-energy/bundle@1", backend: "cpu", runtime: "node-llama-cpp", ...manifest }, null, 2),
  );
  return dir;
}

/** Collector JSONL for inferences at the given (start, end) offsets from T0. */
function collectorJsonl(windows: [number, number][]): string {
  return (
    windows
      .map(([a, b], i) =>
        JSON.stringify({
          schema: "slm-energy/inference@1",
          index: i,
          item_id: null,
          start_s: T0 + a,
          end_s: T0 + b,
          prompt_tokens: 100,
          gen_tokens: 8,
          prefill_ms: (b - a) * 600,
          decode_ms: (b - a) * 380,
          correct: null,
        }),
      )
      .join("\n") + "\n"
  );
}

/** A RAPL counter log (CSV, as the collector writes it) of a piecewise-constant power, read every 100 ms. */
function raplCsv(powerW: (t: number) => number, seconds: number, startUj: number, maxUj: number): string {
  const lines = ["# RAPL zone package-0", `# max_energy_range_uj=${maxUj}`, "time_s,energy_uj"];
  let e = startUj;
  for (let k = 0; k <= seconds * 10; k++) {
    if (k > 0) e = (e + Math.round(powerW((k - 0.5) / 10) * 0.1 * 1e6)) % maxUj;
    lines.push(`${(T0 + k / 10).toFixed(6)},${e}`);
  }
  return lines.join("\n") + "\n";
}

const windows: [number, number][] = [
  [3.05, 4.42],
  [4.8, 6.13],
  [6.5, 8.77],
];
const busy = (t: number) => windows.some(([a, b]) => t >= a && t < b);
const pkg0 = (t: number) => (busy(t) ? 24 : 6);
const pkg1 = (t: number) => (busy(t) ? 11 : 4);

/** Exact energy of a 100 ms-step power over [a, b] (what RAPL's interval means integrate to). */
function stepEnergyJ(p: (t: number) => number, a: number, b: number): number {
  const pts: [number, number][] = [];
  for (let k = 1; k <= 120; k++) {
    const w = p((k - 0.5) / 10);
    pts.push([(k - 1) / 10, w], [k / 10 - 1e-12, w]);
  }
  return referenceEnergyJ(pts, a, b);
}

describe("several power files are concurrent channels whose powers add (multi-package RAPL)", () => {
  it("sums the channels' energies per window, with a counter wrap in one of them, and their idle baselines", async () => {
    const files = {
      "inference.jsonl": collectorJsonl(windows),
      "power-rapl-package-0.csv": raplCsv(pkg0, 11, 81_234_567, 262_143_328_850),
      "power-rapl-package-1.csv": raplCsv(pkg1, 11, 59_000_000, 60_000_000), // wraps after ~0.25 s
    };
    const dir = bundle("rapl-2pkg", files, {
      device: "laptop",
      model: "tinyllama-1.1b",
      benchmark: "mmlu",
      meter: "rapl",
      clock_offset_s: 0,
      files: {
        inference: ["inference.jsonl"],
        power: ["power-rapl-package-0.csv", "power-rapl-package-1.csv"],
        idle: { start_s: T0 + 0.5, end_s: T0 + 2.5 },
      },
    });
    const b = await ingestBundle(dir);
    expect(b.run.idlePowerW!).toBeCloseTo(10, 6);
    b.inferences.forEach((r, i) => {
      const [a, c] = windows[i]!;
      const ref = stepEnergyJ(pkg0, a, c) + stepEnergyJ(pkg1, a, c);
      expect(Math.abs(r.energyGrossJ! - ref) / ref).toBeLessThan(1e-6);
      expect(Math.abs(r.energyNetJ! - (ref - 10 * (c - a))) / ref).toBeLessThan(1e-6);
      expect(r.power.map((p) => p.file)).toEqual([
        "rapl-2pkg/power-rapl-package-0.csv",
        "rapl-2pkg/power-rapl-package-1.csv",
      ]);
    });
    expect(b.quarantined).toEqual([]);
  });

  it("refuses an idle log file when there are several channels", async () => {
    const dir = bundle(
      "rapl-idle-file",
      {
        "inference.jsonl": collectorJsonl(windows),
        "a.csv": raplCsv(pkg0, 11, 0, 1e12),
        "b.csv": raplCsv(pkg1, 11, 0, 1e12),
        "idle.csv": raplCsv(pkg1, 3, 0, 1e12),
      },
      {
        device: "laptop",
        model: "m",
        clock_offset_s: 0,
        files: { inference: ["inference.jsonl"], power: ["a.csv", "b.csv"], idle: "idle.csv" },
      },
    );
    await expect(ingestBundle(dir)).rejects.toMatchObject({
      field: "files.idle",
      message: expect.stringMatching(/one power log/),
    });
  });
});

describe("timeless inference logs placed from the manifest", () => {
  it("gives each llama-bench test the energy of one repetition: window = repetitions × avg, energy ÷ repetitions", async () => {
    const benchCsv = [
      "model_type,n_prompt,n_gen,test_time,avg_ns,stddev_ns",
      `llama 1B Q4_0,512,0,2025-01-28T10:15:02Z,2000000000,1000`,
      `llama 1B Q4_0,0,128,2025-01-28T10:15:09Z,4000000000,1000`,
    ].join("\n");
    // USB meter CSV (time, W) every 50 ms: 9 W during pp, 7 W during tg, 3 W otherwise.
    const start = 2;
    const pp: [number, number] = [start, start + 6];
    const tg: [number, number] = [start + 6 + 1, start + 6 + 1 + 12];
    const p = (t: number) => (t >= pp[0] && t < pp[1] ? 9 : t >= tg[0] && t < tg[1] ? 7 : 3);
    const usb = ["time_s,power_w"];
    for (let k = 0; k <= 25 * 20; k++) usb.push(`${(T0 + k / 20).toFixed(3)},${p(k / 20)}`);
    const dir = bundle(
      "bench",
      { "bench.csv": benchCsv, "usb.csv": usb.join("\n") + "\n" },
      {
        device: "raspberry-pi-5",
        model: "llama-3.2-1b",
        clock_offset_s: 0,
        meter: "usb-csv",
        placement: { start_s: T0 + start, gap_s: 1, repetitions: 3 },
        files: { inference: ["bench.csv"], power: ["usb.csv"] },
      },
    );
    const b = await ingestBundle(dir);
    const trace: [number, number][] = usb.slice(1).map((l) => l.split(",").map(Number) as [number, number]);
    expect(b.inferences.map((r) => [r.startS! - T0, r.endS! - T0])).toEqual([
      [pp[0], pp[1]],
      [tg[0], tg[1]],
    ]);
    expect(b.inferences[0]!.energyGrossJ!).toBeCloseTo(referenceEnergyJ(trace, T0 + pp[0], T0 + pp[1]) / 3, 9);
    expect(b.inferences[1]!.energyGrossJ!).toBeCloseTo(referenceEnergyJ(trace, T0 + tg[0], T0 + tg[1]) / 3, 9);
    // one repetition of tg128: 4 s at ~7 W
    expect(b.inferences[1]!.energyGrossJ!).toBeGreaterThan(27);
    expect(b.inferences[1]!.energyGrossJ!).toBeLessThan(29);
    expect(b.inferences[1]!.warnings.map((w) => w.message).join()).not.toMatch(/repetition/);

    // Without placement.repetitions a CSV cannot say how often each test ran: 1 is assumed, and said.
    const { editManifest } = await import("./helpers.js");
    editManifest(dir, (m) => delete (m.placement as Record<string, unknown>).repetitions);
    const once = await ingestBundle(dir);
    expect(once.inferences[1]!.endS! - once.inferences[1]!.startS!).toBeCloseTo(4, 9);
    expect(once.inferences[1]!.warnings.map((w) => w.message).join()).toMatch(
      /assumes 1 repetition \(set placement\.repetitions/,
    );
  });
});

describe("Ollama API answers place themselves by created_at", () => {
  it("integrates each answer's window, ending at created_at and lasting total_duration", async () => {
    const iso = (s: number) => new Date(Math.round(s * 1000)).toISOString();
    const answers = [
      { end: 5, total: 2.5 },
      { end: 9, total: 3 },
    ].map((a) =>
      JSON.stringify({
        model: "gemma2:2b",
        created_at: iso(T0 + a.end),
        response: "",
        done: true,
        total_duration: a.total * 1e9,
        load_duration: 1e6,
        prompt_eval_count: 40,
        prompt_eval_duration: 0.5e9,
        eval_count: 30,
        eval_duration: (a.total - 0.6) * 1e9,
      }),
    );
    const usb = ["timestamp,W"];
    for (let k = 0; k <= 120; k++) usb.push(`${iso(T0 + k / 10)},${(4 + (k % 7) / 10).toFixed(1)}`);
    const dir = bundle(
      "ollama",
      { "answers.ndjson": answers.join("\n") + "\n", "meter.csv": usb.join("\n") + "\n" },
      {
        device: "jetson-orin-nano",
        model: "gemma-2-2b",
        clock_offset_s: 0,
        files: { inference: ["answers.ndjson"], power: ["meter.csv"] },
      },
    );
    const b = await ingestBundle(dir);
    const trace: [number, number][] = usb
      .slice(1)
      .map((l) => [Date.parse(l.split(",")[0]!) / 1000, Number(l.split(",")[1])]);
    expect(b.inferences.map((r) => [r.startS! - T0, r.endS! - T0])).toEqual([
      [2.5, 5],
      [6, 9],
    ]);
    for (const r of b.inferences) expect(r.energyGrossJ!).toBeCloseTo(referenceEnergyJ(trace, r.startS!, r.endS!), 9);
    expect(b.files.map((f) => f.format)).toEqual(["ollama-json", "usb-csv"]);
  });
});

describe("overlapping inference windows", () => {
  it("warns that concurrent requests count shared power twice", async () => {
    const overlapping: [number, number][] = [
      [1, 4],
      [3, 6],
      [7, 8],
    ];
    const usb = ["time_s,power_w"];
    for (let k = 0; k <= 100; k++) usb.push(`${(T0 + k / 10).toFixed(3)},5`);
    const dir = bundle(
      "concurrent",
      { "inference.jsonl": collectorJsonl(overlapping), "usb.csv": usb.join("\n") + "\n" },
      {
        device: "laptop",
        model: "m",
        clock_offset_s: 0,
        files: { inference: ["inference.jsonl"], power: ["usb.csv"] },
      },
    );
    const b = await ingestBundle(dir);
    expect(b.warnings.map((w) => w.message).join("\n")).toMatch(/1 inference window\(s\) overlap the one before/);
    expect(b.run.gross.energyWh! * 3600).toBeCloseTo(5 * 7, 6);
    expect(b.run.spanEnergyJ!).toBeCloseTo(5 * 7, 6);
  });
});
