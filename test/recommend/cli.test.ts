import { describe, expect, it } from "vitest";
import { runCli, scratchRoot } from "../helpers.js";

describe("slm-energy recommend", () => {
  it("ranks measured and predicted choices, marked as such (JSON)", async () => {
    const r = await runCli([
      "recommend",
      "--max-energy-wh-per-inference",
      "0.003",
      "--min-accuracy",
      "60",
      "--benchmark",
      "hellaswag",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.constraints).toEqual({
      max_energy_wh_per_inference: 0.003,
      min_accuracy_pct: 60,
      max_latency_s: null,
      benchmark: "hellaswag",
    });
    const recs = doc.recommendations as {
      rank: number;
      model: string;
      device: string;
      backend: string;
      source: string;
      accuracy_pct: number;
      energy_wh_per_inference: number;
    }[];
    // Measured: Phi-3 on the Orin GPU, 76.25 % at 1.05 Wh / 400 = 0.002625 Wh, is the most accurate that fits.
    expect(recs[0]).toMatchObject({
      rank: 1,
      model: "phi-3-mini",
      device: "jetson-orin-nano",
      backend: "gpu",
      source: "measured",
      accuracy_pct: 76.25,
    });
    expect(recs[0]!.energy_wh_per_inference).toBeCloseTo(1.05 / 400, 12);
    for (const x of recs) {
      expect(x.accuracy_pct).toBeGreaterThanOrEqual(60);
      expect(x.energy_wh_per_inference).toBeLessThanOrEqual(0.003);
    }
    expect(recs.some((x) => x.source === "predicted")).toBe(true);
    expect(doc.considered.predicted).toBeGreaterThan(0);
  }, 60000);

  it("without a calibration file, calibrates the paper on the fly and says so", async () => {
    const r = await runCli(
      [
        "recommend",
        "--max-energy-wh-per-inference",
        "0.001",
        "--min-accuracy",
        "65",
        "--benchmark",
        "winogrande",
        "--json",
      ],
      scratchRoot(),
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.notes.join(" ")).toMatch(/calibrated on the fly/);
    expect(doc.recommendations.some((x: { source: string }) => x.source === "predicted")).toBe(true);
  }, 60000);

  it("--measured-only ranks the study's runs only; nothing fits MMLU at 60 % within 3 mWh, and it says what would", async () => {
    const r = await runCli([
      "recommend",
      "--max-energy-wh-per-inference",
      "0.003",
      "--min-accuracy",
      "60",
      "--benchmark",
      "mmlu",
      "--measured-only",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/MMLU: 0 feasible/);
    expect(r.stdout).toMatch(
      /takes at least 0\.00656 Wh per inference \(Phi-3 mini on Jetson Orin Nano \(GPU\), measured\)/,
    );
  });

  it("bad input is a usage error (exit 2) that names the option", async () => {
    const cases: [string[], RegExp][] = [
      [["--min-accuracy", "60"], /--max-energy-wh-per-inference is required/],
      [["--max-energy-wh-per-inference", "0.003"], /--min-accuracy is required/],
      [["--max-energy-wh-per-inference=-1", "--min-accuracy", "60"], /must be a number > 0 \(got "-1"\)/],
      [["--max-energy-wh-per-inference", "-1", "--min-accuracy", "60"], /must be a number > 0 \(got "-1"\)/],
      [["--max-energy-wh-per-inference", "lots", "--min-accuracy", "60"], /must be a number > 0 \(got "lots"\)/],
      [
        ["--max-energy-wh-per-inference", "0.003", "--min-accuracy", "160"],
        /--min-accuracy must be a number ≥ 0 and ≤ 100 \(got "160"\)/,
      ],
      [
        ["--max-energy-wh-per-inference", "0.003", "--min-accuracy", "60", "--benchmark", "gsm8k"],
        /unknown benchmark "gsm8k"[\s\S]*mmlu, hellaswag, winogrande/,
      ],
      [
        ["--max-energy-wh-per-inference", "0.003", "--min-accuracy", "60", "--max-latency-s", "0"],
        /--max-latency-s must be a number > 0/,
      ],
    ];
    for (const [args, msg] of cases) {
      const r = await runCli(["recommend", ...args, "--measured-only"]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(msg);
    }
  });

  it("accepts a percentage with a % sign", async () => {
    const r = await runCli([
      "recommend",
      "--max-energy-wh-per-inference",
      "1",
      "--min-accuracy",
      "75%",
      "--benchmark",
      "hellaswag",
      "--measured-only",
      "--json",
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).recommendations.every((x: { accuracy_pct: number }) => x.accuracy_pct >= 75)).toBe(
      true,
    );
  });
});

describe("recommend with ingested runs", () => {
  it("ranks an ingested run as measured, with bootstrap intervals, and says which runs it left out", async () => {
    const { join } = await import("node:path");
    const { ingestBundles, writeTables } = await import("../../src/pipeline/ingest/index.js");
    const { ROOT } = await import("../helpers.js");
    const root = scratchRoot();
    const bundles = ["orin-gpu-llama32-hellaswag", "rpi5-tinyllama-mmlu"].map((b) =>
      join(ROOT, "test/fixtures/bundles", b),
    );
    writeTables(join(root, "data", "processed"), await ingestBundles(bundles));
    const r = await runCli(
      [
        "recommend",
        "--max-energy-wh-per-inference",
        "0.01",
        "--min-accuracy",
        "50",
        "--benchmark",
        "hellaswag",
        "--measured-only",
        "--json",
      ],
      root,
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const mine = doc.recommendations.find((x: { notes: string[] }) =>
      x.notes.includes("ingested run orin-gpu-llama32-hellaswag"),
    );
    expect(mine).toMatchObject({
      source: "measured",
      device: "jetson-orin-nano",
      backend: "gpu",
      model: "llama-3.2-1b",
    });
    expect(mine.energy_interval_wh[0]).toBeLessThan(mine.energy_wh_per_inference);
    expect(mine.energy_interval_wh[1]).toBeGreaterThan(mine.energy_wh_per_inference);
    // The Pi 5 run has no scored answers: it cannot be ranked on accuracy, and the notes say so.
    expect(doc.notes.join(" ")).toMatch(/ingested run rpi5-tinyllama-mmlu: no inference is scored/);
  }, 60000);

  it("--processed pointing at a folder without inferences.csv is a usage error", async () => {
    const r = await runCli([
      "recommend",
      "--max-energy-wh-per-inference",
      "0.01",
      "--min-accuracy",
      "50",
      "--processed",
      "/nonexistent-folder",
      "--measured-only",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no inferences\.csv in \/nonexistent-folder/);
  });
});
