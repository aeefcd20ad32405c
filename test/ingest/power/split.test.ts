import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { integrateWindows, type EnergyWindow } from "../../../src/ingest/energy/integrate.js";
import { totalEnergy } from "../../../src/ingest/energy/total.js";
import type { QuarantineEntry } from "../../../src/ingest/types.js";
import { planSplit, runBlock } from "../../../src/io/power/blocks.js";
import { readPowerLog } from "../../../src/io/power/read.js";
import { integrateSplitFile, totalEnergyOfSplitFile } from "../../../src/io/power/split-read.js";

// Synthetic power CSVs (labelled as such): a 1 kHz trace with garbage, steps back, duplicates,
// blank lines, stray time jumps and CRLF lines at random places, read whole and in blocks cut at
// awkward places (blocks of a few hundred bytes put every kind of line on a boundary).
const dir = mkdtempSync(join(tmpdir(), "slm-split-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Kind = "ok" | "garbage" | "back" | "dup" | "blank" | "jump" | "crlf" | "fields" | "junk-run" | "back-run";
const kindArb = fc.constantFrom<Kind>(
  "ok",
  "ok",
  "ok",
  "ok",
  "ok",
  "ok",
  "garbage",
  "back",
  "dup",
  "blank",
  "jump",
  "crlf",
  "fields",
  "junk-run",
  "back-run",
);

function traceText(kinds: readonly Kind[]): string {
  let s = "time_s,power_w\n";
  let t = 0;
  kinds.forEach((k, i) => {
    t += 0.001;
    const p = (5 + Math.sin(i / 37)).toFixed(4);
    const tt = t.toFixed(3);
    if (k === "garbage") s += `${tt},n/a?\n`;
    else if (k === "back") s += `${(t - 0.0025).toFixed(3)},${p}\n`;
    else if (k === "dup") s += `${tt},${p}\n${tt},${p}\n`;
    else if (k === "blank") s += "\n";
    else if (k === "jump") s += `${(t + 900).toFixed(3)},${p}\n`;
    else if (k === "crlf") s += `${tt},${p}\r\n`;
    else if (k === "fields") s += `${tt},${p},1\n`;
    else if (k === "junk-run")
      s += `${tt},junk\n`.repeat(90); // a block edge with no reading
    else if (k === "back-run")
      // readings 10 s in the past, rising: each one back in time, but not to a block that starts among them
      for (let j = 0; j < 90; j++) s += `${(t - 10 + j * 0.001).toFixed(3)},${p}\n`;
    else s += `${tt},${p}\n`;
  });
  return s;
}

function windowsOver(n: number, seeds: readonly number[]): EnergyWindow[] {
  const spanS = n / 1000;
  const ws = seeds.map((u, k) => ({
    id: `w${k}`,
    startS: ((u % 1000) / 1000) * spanS,
    endS: ((u % 1000) / 1000) * spanS + (((u >> 10) % 500) / 1000) * spanS,
  }));
  return [...ws, { id: "span", startS: -1, endS: spanS + 1 }];
}

/** Everything a window result says except the float sums, which blocks group differently. */
const decisions = (es: readonly { warnings: { code: string }[] }[]) =>
  es.map((e) => ({
    ...e,
    energyJ: 0,
    netEnergyJ: 0,
    meanPowerW: 0,
    coverage: 0,
    warnings: e.warnings.map((w) => w.code),
  }));

const relClose = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));

describe("a power CSV read in blocks", () => {
  it("decides every line as the one-pass reader does, and the guessed blocks give the in-order bytes", async () => {
    let file = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(kindArb, { minLength: 50, maxLength: 800 }),
        fc.integer({ min: 300, max: 6000 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
        async (kinds, blockBytes, seeds) => {
          const path = join(dir, `t${file++}.csv`);
          writeFileSync(path, traceText(kinds));
          const windows = windowsOver(kinds.length, seeds);
          const q1: QuarantineEntry[] = [];
          const log = readPowerLog(path, { format: "usb-csv", onQuarantine: (e) => q1.push(e) });
          const whole = await integrateWindows(log, windows);
          const plan = await planSplit(path, { format: "usb-csv" }, blockBytes);
          if (plan === null) return; // a file of one block, or a head without a reading
          const runs: string[] = [];
          for (const runner of [null, runBlock]) {
            const q2: QuarantineEntry[] = [];
            const r = await integrateSplitFile(plan, windows, {}, { runner, onQuarantine: (e) => q2.push(e) });
            expect(q2).toEqual(q1);
            expect(r.summary).toEqual(log.summary);
            expect(decisions(r.energies)).toEqual(decisions(whole));
            r.energies.forEach((e, i) => expect(relClose(e.energyJ, whole[i]!.energyJ)).toBe(true));
            const t = await totalEnergyOfSplitFile(plan, {}, { runner });
            runs.push(JSON.stringify([r.energies, q2, t]));
          }
          expect(runs[1]).toBe(runs[0]);
        },
      ),
      { numRuns: 40, seed: 16 },
    );
  });

  it("gives the whole-file total of the one-pass reader, to rounding, with every sample", async () => {
    const kinds: Kind[] = Array.from({ length: 20000 }, (_, i) =>
      i % 997 === 5 ? "dup" : i % 1499 === 7 ? "garbage" : "ok",
    );
    const path = join(dir, "total.csv");
    writeFileSync(path, traceText(kinds));
    const one = await totalEnergy(readPowerLog(path, { format: "usb-csv" }));
    const plan = (await planSplit(path, {}, 4096))!;
    expect(plan.blocks).toBeGreaterThan(50);
    const split = await totalEnergyOfSplitFile(plan, {}, { runner: runBlock });
    expect(split.total.samples).toBe(one.samples);
    expect(split.total.startS).toBe(one.startS);
    expect(split.total.endS).toBe(one.endS);
    expect(relClose(split.total.energyJ, one.energyJ)).toBe(true);
    expect(relClose(split.total.medianIntervalS!, one.medianIntervalS!)).toBe(true);
    expect(split.summary.quarantined).toBe(kinds.filter((k) => k !== "ok").length);
  });

  it("is not used for formats whose lines carry state, nor for a file of one block", async () => {
    const path = join(dir, "clock.csv");
    writeFileSync(
      path,
      "time,power_w\n" +
        Array.from({ length: 3000 }, (_, i) => `12:00:${String(i % 60).padStart(2, "0")}.${i},5\n`).join(""),
    );
    expect(await planSplit(path, {}, 1024)).toBeNull();
    const small = join(dir, "small.csv");
    writeFileSync(small, traceText(["ok", "ok", "ok"]));
    expect(await planSplit(small, {})).toBeNull();
  });
});
