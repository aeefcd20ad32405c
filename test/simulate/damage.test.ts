import { describe, expect, it } from "vitest";
import type { DamageKind } from "../../src/simulate/damage.js";
import { roundTrip, simulate } from "./helpers.js";

/** Meters with time stamps of their own, where every damage kind can be written. */
const TIMED: { meter: string; device: string; backend: string }[] = [
  { meter: "tegrastats", device: "jetson-orin-nano", backend: "cpu" },
  { meter: "jtop", device: "jetson-nano", backend: "cpu" },
  { meter: "pmic", device: "raspberry-pi-5", backend: "cpu" },
  { meter: "fnirsi", device: "raspberry-pi-5", backend: "cpu" },
  { meter: "usb-csv", device: "jetson-nano", backend: "cpu" },
  { meter: "rapl", device: "jetson-orin-nano", backend: "cpu" },
  { meter: "nvidia-smi", device: "jetson-orin-nano", backend: "gpu" },
];

const run = (c: (typeof TIMED)[number], damage: DamageKind[], runtime = "collector") =>
  roundTrip({
    device: c.device,
    backend: c.backend,
    model: "llama-3.2-1b",
    benchmark: "winogrande",
    meter: c.meter,
    runtime,
    sampleHz: c.meter === "tegrastats" ? 1 : undefined,
    seed: 21,
    inferences: 10,
    damage,
  });

const quarantinedLines = (r: Awaited<ReturnType<typeof run>>["result"], file: string) =>
  r.quarantined
    .filter((q) => q.file.endsWith(`/${file}`))
    .map((q) => q.line)
    .sort((a, b) => a - b);

describe("damaged logs: the ingester quarantines or flags exactly the damage", () => {
  for (const c of TIMED) {
    it(`${c.meter}: garbage lines are quarantined one by one and change no good reading`, async () => {
      const { run: sim, result } = await run(c, ["garbage"]);
      const d = sim.truth.damage.find((x) => x.kind === "garbage" && x.file === sim.files[0]!.name)!;
      expect(d.readings.length).toBeGreaterThanOrEqual(3);
      expect(quarantinedLines(result, d.file)).toEqual(d.readings);
      // The inference log's garbage line is quarantined too (collector JSONL).
      const di = sim.truth.damage.find((x) => x.kind === "garbage" && x.file === sim.files[1]!.name)!;
      expect(quarantinedLines(result, di.file)).toEqual(di.readings);
      expect(result.inferences).toHaveLength(sim.truth.inferences.length);
      result.inferences.forEach((row, i) => {
        const t = sim.truth.inferences[i]!;
        expect(Math.abs(row.energyGrossJ! - t.energyJ)).toBeLessThanOrEqual(t.energyToleranceJ);
      });
    });

    it(`${c.meter}: a duplicated block is quarantined reading by reading`, async () => {
      const { run: sim, result } = await run(c, ["duplicate"]);
      const d = sim.truth.damage.find((x) => x.kind === "duplicate")!;
      expect(d.readings.length).toBeGreaterThanOrEqual(2);
      expect(quarantinedLines(result, d.file)).toEqual(d.readings);
      expect(result.quarantined.every((q) => /duplicate|goes back/.test(q.reason))).toBe(true);
      result.inferences.forEach((row, i) => {
        const t = sim.truth.inferences[i]!;
        expect(Math.abs(row.energyGrossJ! - t.energyJ)).toBeLessThanOrEqual(t.energyToleranceJ);
      });
    });

    it(`${c.meter}: a truncated log quarantines its torn last line and leaves later inferences without energy, each saying why`, async () => {
      const { run: sim, result } = await run(c, ["truncate"]);
      const d = sim.truth.damage.find((x) => x.kind === "truncate")!;
      expect(quarantinedLines(result, d.file)).toEqual(d.readings);
      const without = result.inferences.filter((r) => r.energyGrossJ === null);
      expect(without.length).toBeGreaterThan(0);
      expect(without.every((r) => r.warnings.some((w) => /energy not computed/.test(w.message)))).toBe(true);
      // Inferences well before the cut keep an energy within their bound.
      result.inferences
        .filter((r) => r.energyGrossJ !== null)
        .forEach((row) => {
          const t = sim.truth.inferences[row.index]!;
          if (row.powerCoverage === 1)
            expect(Math.abs(row.energyGrossJ! - t.energyJ)).toBeLessThanOrEqual(t.energyToleranceJ);
        });
      expect(result.warnings.some((w) => /have no energy/.test(w.message))).toBe(true);
    });

    it(`${c.meter}: a clock stepping back is caught as readings going back in time`, async () => {
      const { result } = await run(c, ["clock-jump"]);
      const back = result.quarantined.filter((q) => /goes back|duplicate/.test(q.reason));
      expect(back.length).toBeGreaterThan(0);
      // The hole the step leaves in the log is not silently filled: some inference says so.
      expect(result.inferences.some((r) => r.warnings.length > 0)).toBe(true);
    });
  }

  it("all four kinds at once still ingest, with every damaged line accounted for", async () => {
    const { run: sim, result } = await run(TIMED[3]!, ["garbage", "duplicate", "truncate", "clock-jump"]);
    const damaged = new Set(sim.truth.damage.filter((d) => d.file === sim.files[0]!.name).flatMap((d) => d.readings));
    const q = new Set(quarantinedLines(result, sim.files[0]!.name));
    for (const line of damaged) expect(q.has(line)).toBe(true);
  });

  it("garbage in a llama-server log is not a timing line and is passed over; every request is still read", async () => {
    const { run: sim, result } = await run(TIMED[3]!, ["garbage"], "llama.cpp");
    expect(result.inferences).toHaveLength(sim.truth.inferences.length);
  });

  it("refuses damage that needs time stamps on a log without them", () => {
    expect(() =>
      simulate({
        device: "jetson-nano",
        backend: "cpu",
        model: "llama-3.2-1b",
        benchmark: "winogrande",
        meter: "tegrastats",
        damage: ["duplicate"],
      }),
    ).toThrow(/time stamps/);
  });
});
