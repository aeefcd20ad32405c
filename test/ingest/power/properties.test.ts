import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePowerText } from "../../../src/ingest/power/index.js";
import { readPowerLog } from "../../../src/io/power/read.js";
import type { PowerSample } from "../../../src/ingest/types.js";

const tmp = mkdtempSync(join(tmpdir(), "slm-power-prop-"));
let k = 0;

/** A random power log text in one of three formats, with random line ends, BOM and blank lines. */
const logText = fc
  .record({
    kind: fc.constantFrom("usb-csv", "tegrastats", "fnirsi"),
    values: fc.array(fc.integer({ min: 0, max: 99999 }), { minLength: 1, maxLength: 80 }),
    eol: fc.constantFrom("\n", "\r\n"),
    bom: fc.boolean(),
    blanks: fc.array(fc.nat(), { maxLength: 5 }),
  })
  .map(({ kind, values, eol, bom, blanks }) => {
    let lines: string[];
    if (kind === "usb-csv") lines = ["time_s,power_mw", ...values.map((v, i) => `${(i * 0.25).toFixed(2)},${v}`)];
    else if (kind === "fnirsi")
      lines = [
        "timestamp sample_in_packet voltage_V current_A",
        ...values.map((v, i) => `${(1657568326.775 + i * 0.01).toFixed(3)} ${i % 4} 5.00000 ${(v / 1e5).toFixed(5)}`),
      ];
    else lines = values.map((v) => `RAM 1180/3965MB (lfb 1x2MB) CPU [30%@1036] POM_5V_IN ${v}/4680 POM_5V_GPU 0/0`);
    for (const b of blanks) lines.splice(1 + (b % lines.length), 0, "");
    return (bom ? "\uFEFF" : "") + lines.join(eol) + eol;
  });

async function stream(path: string, chunkBytes: number): Promise<PowerSample[]> {
  const out: PowerSample[] = [];
  for await (const s of readPowerLog(path, { chunkBytes })) out.push(s);
  return out;
}

describe("streaming reader, property-based", () => {
  it("yields the same samples as parsing the whole text, whatever the read size", async () => {
    await fc.assert(
      fc.asyncProperty(logText, fc.integer({ min: 64, max: 700 }), async (text, chunkBytes) => {
        const path = join(tmp, `log-${k++}.txt`);
        writeFileSync(path, text);
        expect(await stream(path, chunkBytes)).toEqual(parsePowerText(text).samples);
      }),
      { numRuns: 60 },
    );
  });
});

describe("the byte-level number parser, property-based", () => {
  it("reads every decimal exactly as Number() does (signs, spaces, up to 15 digits)", () => {
    const decimal = fc
      .tuple(
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.integer({ min: 0, max: 9 }),
        fc.constantFrom("", "+", "-"),
        fc.constantFrom("", " ", "  "),
        fc.constantFrom("", " "),
      )
      .map(([x, digits, sign, lead, trail]) => `${lead}${sign}${x.toFixed(digits)}${trail}`);
    fc.assert(
      fc.property(fc.array(decimal, { minLength: 1, maxLength: 40 }), (powers) => {
        const text = ["time_s,power_w", "-1,1", ...powers.map((p, i) => `${i},${p}`)].join("\n");
        const above: string[] = [];
        const r = parsePowerText(text, {
          onQuarantine: (q) => void (/above the physical range/.test(q.reason) && above.push(q.reason)),
        });
        const values = powers.map((p) => Number(p.trim()));
        const expected = [1, ...values.filter((p) => p >= 0 && p <= 10_000)];
        expect(r.samples.map((s) => s.powerW)).toEqual(expected);
        // Readings above 10 kW are quarantined (bounds.ts), each with the value as read, exactly.
        expect(above).toEqual(
          values
            .filter((p) => p > 10_000)
            .map((p) => `power ${p} W is above the physical range 0–10000 W of a usb-csv reading`),
        );
      }),
      { numRuns: 300 },
    );
  });
});
