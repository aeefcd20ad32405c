/** Pi 5 PMIC logs: currents in mA refused with the fix (#15); one misspelt label rejects its block only (#16). */
import { describe, expect, it } from "vitest";
import { parsePowerText } from "../../../src/ingest/power/read.js";
import { fixtureText } from "./helpers.js";

/** The fixture's first block (its stamp line and 26 reading lines), `n` times, 0.5 s apart. */
function blocks(n: number, edit: (k: number, block: string) => string = (_k, b) => b): string {
  const lines = fixtureText("pmic-rpi5.log").split("\n");
  const body = lines.slice(1, 27).join("\n");
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const t = new Date(Date.UTC(2025, 8, 21, 15, 38, 17) + k * 500).toISOString();
    out.push(edit(k, `${t}\n${body}`));
  }
  return out.join("\n") + "\n";
}

describe("PMIC defects", () => {
  it("one misspelt rail label in block 1 quarantines block 1 alone, not all 79", () => {
    const r = parsePowerText(blocks(79, (k, b) => (k === 0 ? b.replace("VDD_CORE_A", "VDD_CORF_A") : b)));
    expect(r.samples).toHaveLength(78);
    expect(r.quarantined).toHaveLength(1);
    expect(r.quarantined[0]).toMatchObject({ line: 1, lineEnd: 27 });
    expect(r.quarantined[0]!.reason).toMatch(/label\(s\) the other blocks lack \(VDD_CORF_A; misspelt\?\).*VDD_CORE_A/);
  });

  it("a misspelt label in a later block rejects that block only", () => {
    const r = parsePowerText(blocks(10, (k, b) => (k === 6 ? b.replace("HDMI_V", "HDMl_V") : b)));
    expect(r.samples).toHaveLength(9);
    expect(r.quarantined.map((q) => q.line)).toEqual([6 * 27 + 1]);
  });

  it("refuses currents printed in mA, with the fix, instead of energies of the calibration offset alone", () => {
    const mA = blocks(4, (_k, b) =>
      b.replace(
        /current\((\d+)\)=(\d+)\.(\d+)A/g,
        (_m, n: string, a: string, f: string) => `current(${n})=${Number(`${a}.${f}`) * 1000}mA`,
      ),
    );
    let err: unknown;
    try {
      parsePowerText(mA, { file: "pmic.log" });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ line: 2, field: "current", message: expect.stringMatching(/PMIC current in mA/) });
    expect((err as { hint: string }).hint).toMatch(/divide the log's mA/);
  });

  it("refuses unit-less currents that are mA (most of the first blocks between 100 and 100 000)", () => {
    const mA = blocks(4, (_k, b) =>
      b.replace(
        /current\((\d+)\)=(\d+)\.(\d+)A/g,
        (_m, n: string, a: string, f: string) => `current(${n})=${(Number(`${a}.${f}`) * 1000 + 100.5).toFixed(3)}`,
      ),
    );
    expect(() => parsePowerText(mA)).toThrowError(/PMIC currents look like mA, not A/);
  });
});

describe("vcgencmd on a board without the PMIC ADC", () => {
  it("is recognised and refused: only the Raspberry Pi 5 has it", () => {
    let err: unknown;
    try {
      parsePowerText("2025-09-21T15:38:17Z\nCommand not registered\n", { file: "pmic.log" });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ line: 2, message: expect.stringMatching(/no PMIC ADC/) });
    expect((err as { hint: string }).hint).toMatch(/Raspberry Pi 5 only/);
    expect(() => parsePowerText('error=2 error_msg="Command not registered"\n')).toThrowError(/no PMIC ADC/);
  });
});
