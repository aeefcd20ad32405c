import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePowerText } from "../../../src/ingest/power/index.js";
import { matchPmicReading } from "../../../src/ingest/power/pmic.js";
import type { PowerSample, QuarantineEntry } from "../../../src/ingest/types.js";
import { readPowerLog } from "../../../src/io/power/read.js";
import { fixtureText, readFixture, within01pct } from "./helpers.js";

// V × I of the twelve rails that print both lines, from the block in the fixtures (as printed).
const RAILS: [string, number, number][] = [
  ["3V7_WL_SW", 3.606052, 0.1219913],
  ["3V3_SYS", 3.319313, 0.1522451],
  ["1V8_SYS", 1.796824, 0.1727396],
  ["DDR_VDD2", 1.108424, 0.1161357],
  ["DDR_VDDQ", 0.6054939, 0.029412],
  ["1V1_SYS", 1.102197, 0.2176324],
  ["0V8_SW", 0.8014644, 0.5074836],
  ["VDD_CORE", 0.8872518, 1.54489],
  ["3V3_DAC", 3.315015, 0],
  ["3V3_ADC", 3.316846, 0.00018315],
  ["0V8_AON", 0.798827, 0.0039072],
  ["HDMI", 4.9044, 0.017094],
];
const BLOCK_W = RAILS.reduce((sum, [, v, a]) => sum + v * a, 0); // ≈ 3.507 W

describe("Raspberry Pi 5 pmic_read_adc", () => {
  it("sums V×I over rails with both a current and a voltage; EXT5V and BATT add nothing", async () => {
    const r = await readFixture("pmic-rpi5-bare.log", { intervalMs: 500 });
    expect(r.format).toBe("pmic");
    expect(r.samples).toHaveLength(3);
    expect(r.samples[0]!.powerW).toBeCloseTo(BLOCK_W, 12);
    expect(Object.keys(r.samples[0]!.railsW!).sort()).toEqual(RAILS.map(([n]) => n).sort());
    expect(r.samples[0]!.railsW!["VDD_CORE"]).toBeCloseTo(0.8872518 * 1.54489, 12);
    expect(r.samples[0]!.railsW).not.toHaveProperty("EXT5V");
  });

  it("spaces blocks without time stamps by intervalMs: 3 blocks at 500 ms integrate to 1 s × P", async () => {
    const r = await readFixture("pmic-rpi5-bare.log", { intervalMs: 500 });
    expect(r.samples.map((s) => [s.tS, s.line, s.lineEnd])).toEqual([
      [0, 1, 26],
      [0.5, 28, 53],
      [1, 55, 80],
    ]);
    expect(within01pct(r.total.energyJ, BLOCK_W * 1)).toBe(true);
    expect(r.quarantined).toEqual([]);
  });

  it("reads the logger's ISO stamp before each block and quarantines the truncated block whole", async () => {
    const r = await readFixture("pmic-rpi5.log");
    expect(r.samples.map((s) => s.tS! - r.samples[0]!.tS!)).toEqual([0, 0.5, 1.5, 2]);
    expect(r.quarantined).toHaveLength(1);
    expect(r.quarantined[0]!.line).toBe(55);
    expect(r.quarantined[0]!.lineEnd).toBe(69);
    expect(r.quarantined[0]!.reason).toMatch(/truncated PMIC block: 12 reading\(s\) missing/);
    expect(within01pct(r.total.energyJ, BLOCK_W * 2)).toBe(true);
  });

  it("accepts epoch stamps, bracketed stamps and a stamp in front of the first line", () => {
    const block = fixtureText("pmic-rpi5-bare.log").split("----\n")[0]!.trimEnd().split("\n");
    const a = ["1758469097.5", ...block, "[1758469098.5]", ...block].join("\n");
    expect(parsePowerText(a).samples.map((s) => s.tS)).toEqual([1758469097.5, 1758469098.5]);
    const b = [`1758469097.5 ${block[0]}`, ...block.slice(1), `1758469099.5 ${block[0]}`, ...block.slice(1)].join("\n");
    expect(parsePowerText(b).samples.map((s) => s.tS)).toEqual([1758469097.5, 1758469099.5]);
  });

  it("keeps a block whose first reading was garbled out but quarantines the garbled line", () => {
    const block = fixtureText("pmic-rpi5-bare.log").split("----\n")[0]!.trimEnd().split("\n");
    const bad = [...block];
    bad[5] = "   1V1_SYS_A current(5)=0.2176#@!A";
    const r = parsePowerText(["1758469097", ...block, "1758469098", ...bad, "1758469099", ...block].join("\n"));
    expect(r.samples.map((s) => s.tS)).toEqual([1758469097, 1758469099]);
    expect(r.quarantined.map((q) => q.reason)).toEqual([
      expect.stringMatching(/unreadable current/),
      expect.stringMatching(/truncated PMIC block: 1 reading/),
    ]);
  });
});

describe("PMIC lines of any length (issue 13, defect 1)", () => {
  // The regex the parser used before: quadratic on long lines, kept here as the reference.
  const OLD = /([A-Za-z0-9_]+)_([AV]) (?:current|volt)\(\d+\)=(\S*?)([AV]?)\s*$/;

  it("reads a reading line exactly as the old regex did", () => {
    const piece = fc.constantFrom(
      "VDD_CORE",
      "_A",
      "_V",
      " current(7)=",
      " volt(15)=",
      "1.5",
      "A",
      "V",
      " ",
      "x",
      "=",
      "(",
      "12",
      "\t",
      "_",
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }).map((a) => a.join("")),
        (text) => {
          const m = OLD.exec(text);
          const r = matchPmicReading(text);
          if (m === null) {
            expect(r).toBeNull();
            return;
          }
          expect(r).toEqual({
            prefix: text.slice(0, m.index),
            key: `${m[1]}_${m[2]}`,
            letter: m[2],
            value: m[3],
            unit: m[4],
          });
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("parses a log with one 5 MB line in linear time and reads the rest", () => {
    const block = [
      "  VDD_CORE_A current(7)=1.54489000A",
      "  VDD_CORE_V volt(15)=0.88725180V",
      "   EXT5V_V volt(24)=5.15100000V",
    ];
    const time = (junk: string) => {
      const text = [...block, junk, ...block, ...block].join("\n") + "\n";
      const t0 = performance.now();
      const p = parsePowerText(text, { format: "pmic" });
      return { ms: performance.now() - t0, p };
    };
    for (const junk of ["a".repeat(5e5), "- ".repeat(2.5e5) + "x", `VDD_A current(1)=${"1".repeat(5e5)} x`]) {
      const { ms, p } = time(junk);
      expect(ms).toBeLessThan(1000);
      expect(p.samples).toHaveLength(3);
      expect(p.quarantined.map((q) => q.line)).toEqual([4]);
    }
  });

  it("quarantines a line over 1 MiB with its number and reads the rest, in memory and streamed", async () => {
    const block = ["  VDD_CORE_A current(7)=1.5A", "  VDD_CORE_V volt(15)=0.8V"];
    const text = [...block, "x".repeat(3 * 1024 * 1024), ...block, ...block].join("\n") + "\n";
    const p = parsePowerText(text, { format: "pmic" });
    expect(p.samples).toHaveLength(3);
    expect(p.quarantined).toEqual([
      expect.objectContaining({
        line: 3,
        reason: expect.stringMatching(/a line of 3145728 bytes, longer than 1 MiB/) as string,
      }),
    ]);
    const dir = mkdtempSync(join(tmpdir(), "slm-pmic-"));
    const path = join(dir, "long.log");
    writeFileSync(path, text);
    const quarantined: QuarantineEntry[] = [];
    const log = readPowerLog(path, { chunkBytes: 64 * 1024, onQuarantine: (q) => quarantined.push(q) });
    const samples: PowerSample[] = [];
    for await (const s of log) samples.push(s);
    const streamed = { samples, quarantined, summary: log.summary! };
    expect(streamed.samples.map((s) => s.powerW)).toEqual(p.samples.map((s) => s.powerW));
    expect(streamed.quarantined.map((q) => [q.line, q.reason])).toEqual(p.quarantined.map((q) => [q.line, q.reason]));
    expect(streamed.summary.lines).toBe(7);
    rmSync(dir, { recursive: true, force: true });
  });
});
