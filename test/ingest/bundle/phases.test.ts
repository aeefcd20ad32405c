import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderTables, RUN_COLUMNS, INFERENCE_COLUMNS } from "../../../src/io/processed-tables.js";
import { ingestBundle } from "../../../src/pipeline/ingest/bundle.js";
import { ORIN, RPI, referenceEnergyJ } from "./helpers.js";

const T0 = 1_763_800_000;

function bundle(name: string, files: Record<string, string>, manifest: Record<string, unknown>): string {
  const dir = join(mkdtempSync(join(tmpdir(), "slm-phases-")), name);
  mkdirSync(dir);
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({ schema: "slm-energy/bundle@1", backend: "cpu", runtime: "llama.cpp", ...manifest }, null, 2),
  );
  return dir;
}

/** USB meter CSV (time, W) every 100 ms from T0 for `seconds`. */
function usbCsv(powerW: (t: number) => number, seconds: number, t0 = T0): string {
  const lines = ["time_s,power_w"];
  for (let k = 0; k <= seconds * 10; k++) lines.push(`${(t0 + k / 10).toFixed(3)},${powerW(k / 10)}`);
  return lines.join("\n") + "\n";
}

/** Collector records: [start, end, prefill ms, decode ms, prompt tokens, gen tokens] from T0. */
function collectorJsonl(recs: [number, number, number, number, number, number][], t0 = T0): string {
  return (
    recs
      .map(([a, b, pf, dc, pt, gt], i) =>
        JSON.stringify({
          schema: "slm-energy/inference@1",
          index: i,
          item_id: null,
          start_s: t0 + a,
          end_s: t0 + b,
          prompt_tokens: pt,
          gen_tokens: gt,
          prefill_ms: pf,
          decode_ms: dc,
          correct: null,
        }),
      )
      .join("\n") + "\n"
  );
}

describe("per-phase energy: prefill and decode sub-windows of each inference, in the same sweep", () => {
  it("splits a constant power exactly: prefill = P × prefill time, decode = P × the rest, net of idle too", async () => {
    // 2 W until t = 2 s (the idle segment is [0.5, 1.5]), then a constant 5 W.
    const power = (t: number) => (t < 2 ? 2 : 5);
    const recs: [number, number, number, number, number, number][] = [
      [3.0, 5.0, 400, 1550, 200, 30], // 50 ms after decode that the log does not attribute: counted in decode
      [6.25, 7.0, 125, 625, 64, 10],
    ];
    // A clock near 0 (seconds since boot), where float64 holds the edges exactly enough for 1e-9 J.
    const t0 = 1024;
    const dir = bundle(
      "const",
      { "inf.jsonl": collectorJsonl(recs, t0), "usb.csv": usbCsv(power, 9, t0) },
      {
        device: "raspberry-pi-5",
        model: "m",
        meter: "usb-csv",
        clock_offset_s: 0,
        files: { inference: ["inf.jsonl"], power: ["usb.csv"], idle: { start_s: t0 + 0.5, end_s: t0 + 1.5 } },
      },
    );
    const b = await ingestBundle(dir);
    expect(b.run.idlePowerW).toBeCloseTo(2, 12);
    b.inferences.forEach((r, i) => {
      const [a, c, pf, , pt, gt] = recs[i]!;
      const prefillS = pf / 1000;
      expect(r.energyPrefillJ!).toBeCloseTo(5 * prefillS, 9);
      expect(r.energyDecodeJ!).toBeCloseTo(5 * (c - a - prefillS), 9);
      expect(r.energyPrefillNetJ!).toBeCloseTo(3 * prefillS, 9);
      expect(r.energyDecodeNetJ!).toBeCloseTo(3 * (c - a - prefillS), 9);
      expect(r.jPerPromptToken!).toBeCloseTo((5 * prefillS) / pt, 12);
      expect(r.jPerGenToken!).toBeCloseTo((5 * (c - a - prefillS)) / gt, 12);
      expect(r.jPerPromptTokenNet!).toBeCloseTo((3 * prefillS) / pt, 12);
      expect(r.jPerGenTokenNet!).toBeCloseTo((3 * (c - a - prefillS)) / gt, 12);
    });
    // Run totals: sums of the phases; J per token over the run; tokens per J of the run's energy.
    expect(b.run.prefillEnergyJ!).toBeCloseTo(5 * 0.525, 9);
    expect(b.run.decodeEnergyJ!).toBeCloseTo(5 * (2.75 - 0.525), 9);
    expect(b.run.prefillEnergyNetJ!).toBeCloseTo(3 * 0.525, 9);
    expect(b.run.jPerPromptToken!).toBeCloseTo((5 * 0.525) / 264, 12);
    expect(b.run.jPerGenToken!).toBeCloseTo((5 * 2.225) / 40, 12);
    expect(b.run.tokensPerJ!).toBeCloseTo(304 / (5 * 2.75), 9);
    expect(b.run.tokensPerJNet!).toBeCloseTo(304 / (3 * 2.75), 9);
    // The sub-windows add no warnings of their own: the rows' warnings are the inference windows'.
    expect(b.inferences.flatMap((r) => r.warnings)).toEqual([]);
    // The wire format: the columns exist and hold the values.
    const t = renderTables([b]);
    const [head, first] = t.inferences.split("\n");
    const cols = head!.split(",");
    const cells = first!.split(",");
    expect(Number(cells[cols.indexOf("energy_prefill_j")])).toBeCloseTo(2, 9);
    expect(Number(cells[cols.indexOf("energy_decode_j")])).toBeCloseTo(8, 9);
    expect(Number(cells[cols.indexOf("j_per_prompt_token")])).toBeCloseTo(0.01, 9);
    const [rhead, rrow] = t.runs.split("\n");
    expect(Number(rrow!.split(",")[rhead!.split(",").indexOf("tokens_per_j")])).toBeCloseTo(304 / 13.75, 8);
  });

  it("names the columns as the wire format says", () => {
    for (const c of ["energy_prefill_j", "energy_decode_j", "energy_prefill_net_j", "energy_decode_net_j"])
      expect(INFERENCE_COLUMNS).toContain(c);
    for (const c of ["j_per_prompt_token", "j_per_gen_token", "j_per_prompt_token_net", "j_per_gen_token_net"]) {
      expect(INFERENCE_COLUMNS).toContain(c);
      expect(RUN_COLUMNS).toContain(c);
    }
    for (const c of ["energy_prefill_wh", "energy_decode_wh", "tokens_per_j", "tokens_per_j_net"])
      expect(RUN_COLUMNS).toContain(c);
  });

  it("on a real-format bundle: prefill + decode = the inference's energy, prefill = the trapezoid over [start, start + prefill]", async () => {
    const m = JSON.parse(readFileSync(join(ORIN, "manifest.json"), "utf8"));
    const trace: [number, number][] = readFileSync(join(ORIN, "tegrastats.log"), "utf8")
      .trim()
      .split("\n")
      .map((l, k) => [m.clock_offset_s + k * 0.1, Number(/VDD_IN (\d+)mW/.exec(l)![1]) / 1000]);
    const b = await ingestBundle(ORIN);
    expect(b.inferences.length).toBeGreaterThan(0);
    for (const r of b.inferences) {
      expect(Math.abs(r.energyPrefillJ! + r.energyDecodeJ! - r.energyGrossJ!)).toBeLessThan(1e-9 * r.energyGrossJ!);
      expect(Math.abs(r.energyPrefillNetJ! + r.energyDecodeNetJ! - r.energyNetJ!)).toBeLessThan(1e-9 * r.energyGrossJ!);
      const ref = referenceEnergyJ(trace, r.startS!, r.startS! + r.prefillS!);
      expect(r.energyPrefillJ!).toBeCloseTo(ref, 9);
      expect(r.jPerPromptToken).toBe(r.energyPrefillJ! / r.promptTokens!);
      expect(r.jPerGenToken).toBe(r.energyDecodeJ! / r.genTokens!);
    }
    const sum = (k: "energyPrefillJ" | "energyDecodeJ") => b.inferences.reduce((s, r) => s + r[k]!, 0);
    expect(b.run.prefillEnergyJ).toBe(sum("energyPrefillJ"));
    expect(b.run.decodeEnergyJ).toBe(sum("energyDecodeJ"));
    expect(b.run.prefillEnergyJ! + b.run.decodeEnergyJ!).toBeCloseTo(b.run.gross.energyWh! * 3600, 9);
  });

  it("llama-server logs with a calibrated PMIC split too", async () => {
    const b = await ingestBundle(RPI);
    const timed = b.inferences.filter((r) => r.energyGrossJ !== null);
    expect(timed.length).toBeGreaterThan(0);
    for (const r of timed) {
      expect(r.energyPrefillJ! + r.energyDecodeJ!).toBeCloseTo(r.energyGrossJ!, 9);
    }
  });

  it("llama-bench tests placed from the manifest: a pp test is all prefill, a tg test all decode, per repetition", async () => {
    const md = [
      "$ llama-bench -m llama-3.2-1b-q4_k_m.gguf -r 3",
      "| model | size | params | backend | threads | test | t/s |",
      "| --- | ---: | ---: | --- | ---: | ---: | ---: |",
      "| llama 1B Q4_K - Medium | 762.81 MiB | 1.24 B | CPU | 4 | pp512 | 256.00 ± 1.00 |",
      "| llama 1B Q4_K - Medium | 762.81 MiB | 1.24 B | CPU | 4 | tg128 | 32.00 ± 0.10 |",
      "",
      "build: 1d850433 (4488)",
    ].join("\n");
    // pp512 at 256 t/s: 2 s × 3 repetitions from t = 2; tg128 at 32 t/s: 4 s × 3 from t = 9 (gap 1 s).
    const power = (t: number) => (t >= 2 && t < 8 ? 9 : t >= 9 && t < 21 ? 7 : 3);
    const dir = bundle(
      "bench-md",
      { "bench.md": md, "usb.csv": usbCsv(power, 25) },
      {
        device: "raspberry-pi-5",
        model: "llama-3.2-1b",
        meter: "usb-csv",
        clock_offset_s: 0,
        placement: { start_s: T0 + 2, gap_s: 1 },
        files: { inference: ["bench.md"], power: ["usb.csv"] },
      },
    );
    const b = await ingestBundle(dir);
    expect(b.files.find((f) => f.role === "inference")!.format).toBe("llama-bench-md");
    const [pp, tg] = b.inferences;
    expect([pp!.endS! - pp!.startS!, tg!.endS! - tg!.startS!]).toEqual([6, 12]);
    expect(pp!.energyPrefillJ).toBe(pp!.energyGrossJ);
    expect(pp!.energyDecodeJ).toBe(0);
    expect(pp!.jPerPromptToken).toBeCloseTo(pp!.energyGrossJ! / 512, 12);
    expect(pp!.jPerGenToken).toBeNull();
    expect(tg!.energyPrefillJ).toBe(0);
    expect(tg!.energyDecodeJ).toBe(tg!.energyGrossJ);
    expect(tg!.jPerGenToken).toBeCloseTo(tg!.energyGrossJ! / 128, 12);
    expect(tg!.jPerPromptToken).toBeNull();
    // One repetition of tg128 at ~7 W for 4 s.
    expect(tg!.energyDecodeJ!).toBeGreaterThan(27);
    expect(tg!.energyDecodeJ!).toBeLessThan(29);
  });

  it("leaves the phases empty when the log lacks a duration, and the run totals with them", async () => {
    // Ollama answers without prompt_eval_duration: no split.
    const iso = (s: number) => new Date(Math.round(s * 1000)).toISOString();
    const answer = JSON.stringify({
      model: "gemma2:2b",
      created_at: iso(T0 + 5),
      response: "",
      done: true,
      total_duration: 2e9,
      prompt_eval_count: 40,
      eval_count: 30,
      eval_duration: 1.5e9,
    });
    const dir = bundle(
      "no-prefill",
      { "ollama.ndjson": answer + "\n", "usb.csv": usbCsv(() => 4, 9) },
      {
        device: "raspberry-pi-5",
        model: "m",
        meter: "usb-csv",
        clock_offset_s: 0,
        files: { inference: ["ollama.ndjson"], power: ["usb.csv"] },
      },
    );
    const b = await ingestBundle(dir);
    const r = b.inferences[0]!;
    expect(r.energyGrossJ).toBeCloseTo(8, 9);
    expect([r.energyPrefillJ, r.energyDecodeJ, r.jPerPromptToken, r.jPerGenToken]).toEqual([null, null, null, null]);
    expect([b.run.prefillEnergyJ, b.run.jPerGenToken]).toEqual([null, null]);
    expect(b.run.tokensPerJ).toBeCloseTo(70 / 8, 9);
  });
});
