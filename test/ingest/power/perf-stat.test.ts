/** `perf stat -e power/energy-pkg/` summaries, any locale (issue 13), read as the rapl format. */
import { describe, expect, it } from "vitest";
import { totalEnergy } from "../../../src/ingest/energy/index.js";
import { detectPowerFormat } from "../../../src/ingest/power/detect.js";
import { parsePowerText } from "../../../src/ingest/power/read.js";

const summary = (joules: string, elapsed: string, event = "power/energy-pkg/") =>
  [
    " Performance counter stats for 'system wide':",
    "",
    `            ${joules} Joules ${event}`,
    "",
    `       ${elapsed} seconds time elapsed`,
    "",
  ].join("\n");

describe("perf stat energy summaries", () => {
  it("is detected as rapl and gives each run's joules over its elapsed time", async () => {
    const text = `$ sudo perf stat -a -e power/energy-pkg/ sleep 2\n\n${summary("41.87", "2.001234567")}`;
    expect(detectPowerFormat(text)).toBe("rapl");
    const r = parsePowerText(text);
    expect(r.quarantined).toEqual([]);
    expect(r.summary.rail).toBe("power/energy-pkg/");
    expect(r.samples).toHaveLength(1);
    expect(r.samples[0]!.spanS).toBeCloseTo(2.001234567, 12);
    expect((await totalEnergy(r.samples)).energyJ).toBeCloseTo(41.87, 9);
  });

  it("reads decimal commas, point or nbsp grouping, and English grouping", async () => {
    const cases: [string, string, number][] = [
      ["0,05", "0,000869161", 0.05],
      ["1.234,56", "10,000000000", 1234.56],
      ["1\u202f234,56", "10,000000000", 1234.56],
      ["1,234.56", "10.000000000", 1234.56],
    ];
    for (const [j, e, want] of cases) {
      const r = parsePowerText(summary(j, e));
      expect((await totalEnergy(r.samples)).energyJ, `${j} / ${e}`).toBeCloseTo(want, 9);
    }
  });

  it("reads summaries quoted with >> and indented, runs back to back, the command lines skipped", async () => {
    const quote = (s: string) =>
      s
        .split("\n")
        .map((l) => `    >> ${l}`)
        .join("\n");
    const text = `    sudo perf stat -a -e power/energy-pkg/ ls\n\n${quote(summary("0,00", "0,5"))}\n${quote(summary("3,00", "1,5"))}`;
    const r = parsePowerText(text);
    expect(r.quarantined).toEqual([]);
    expect(r.samples.map((s) => s.tS)).toEqual([0.5, 2]);
    expect((await totalEnergy(r.samples)).energyJ).toBeCloseTo(3, 12);
  });

  it("reads perf stat -I interval lines as consecutive segments", async () => {
    const text = [
      "#           time             counts unit events",
      "     1.001023402              10,50 Joules power/energy-pkg/",
      "     2.002245731              11,25 Joules power/energy-pkg/",
    ].join("\n");
    const r = parsePowerText(text, { format: "rapl" });
    expect(r.samples.map((s) => s.tS)).toEqual([1.001023402, 2.002245731]);
    expect((await totalEnergy(r.samples)).energyJ).toBeCloseTo(21.75, 9);
  });

  it("quarantines the program's output, and a summary without its elapsed time, with their lines", () => {
    const text = `perf stat -e power/energy-pkg/ ./run\nhello from the program\n${summary("5,00", "1,0")}\n Performance counter stats for 'system wide':\n   7,00 Joules power/energy-pkg/\n`;
    const r = parsePowerText(text);
    expect(r.samples).toHaveLength(1);
    expect(r.quarantined.map((q) => [q.line, q.reason])).toEqual([
      [2, expect.stringMatching(/not a perf stat line/)],
      [9, expect.stringMatching(/no positive `seconds time elapsed`/)],
    ]);
  });

  it("takes energy-pkg as the total when several events are counted, else the one energy event", async () => {
    const both = summary("2,00", "1,0", "power/energy-ram/").replace(
      "Joules power/energy-ram/",
      "Joules power/energy-ram/\n            8,00 Joules power/energy-pkg/",
    );
    const r = parsePowerText(both);
    expect(r.summary.rail).toBe("power/energy-pkg/");
    expect((await totalEnergy(r.samples)).energyJ).toBeCloseTo(8, 12);
    const psys = parsePowerText(summary("9,00", "1,0", "power/energy-psys/"));
    expect(psys.summary.rail).toBe("power/energy-psys/");
  });
});
