import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { totalEnergy } from "../../../src/ingest/energy/index.js";
import { PHYSICAL_BOUNDS } from "../../../src/ingest/power/bounds.js";
import { parsePowerText } from "../../../src/ingest/power/index.js";
import type { PowerFormat } from "../../../src/ingest/types.js";

/** Parse `lines` as `format`; the samples' powers, the quarantine as [line, reason], the energy. */
async function read(format: PowerFormat, lines: string[]) {
  const r = parsePowerText(lines.join("\n") + "\n", { format, file: "log" });
  expect(r.quarantined.every((q) => q.file === "log")).toBe(true);
  const total = await totalEnergy(r.samples);
  return { powers: r.samples.map((s) => s.powerW), quarantined: r.quarantined.map((q) => [q.line, q.reason]), total };
}

describe("physically impossible readings are quarantined with file and line (issue 13, defects 13 and 14)", () => {
  it("jtop Power TOT of 1e308 mW", async () => {
    const header = "time,Power VDD_SOC,Power TOT";
    const r = await read("jtop-csv", [
      header,
      "2025-09-21 15:38:17.0,1400,5000",
      "2025-09-21 15:38:18.0,1400,1e308",
      "2025-09-21 15:38:19.0,1400,5000",
    ]);
    expect(r.powers).toEqual([5, 5]);
    expect(r.quarantined).toEqual([[3, "power 1e+305 W is above the physical range 0–10000 W of a jtop-csv reading"]]);
  });

  it("PMIC rail current of 1e308 A or −5 A, and a voltage of 100 V: the reading and its block", async () => {
    for (const [bad, reason] of [
      ["  VDD_CORE_A current(7)=1e308A", "current 1e+308 A is outside the physical range 0–100 A of a pmic reading"],
      ["  VDD_CORE_A current(7)=-5.00000000A", "current -5 A is outside the physical range 0–100 A of a pmic reading"],
      ["  VDD_CORE_V volt(15)=100.0V", "voltage 100 V is outside the physical range 0–60 V of a pmic reading"],
    ] as const) {
      const block = ["  VDD_CORE_A current(7)=1.5A", "  VDD_CORE_V volt(15)=0.8V"];
      const broken = bad.includes("_A") ? [bad, block[1]!] : [block[0]!, bad];
      const r = await read("pmic", [...block, ...block, ...broken, ...block]);
      expect(r.powers).toEqual([1.2, 1.2, 1.2].map((p) => expect.closeTo(p, 12)));
      expect(r.quarantined[0]).toEqual([bad.includes("_A") ? 5 : 6, reason]);
      expect(r.quarantined[1]).toEqual([5, expect.stringMatching(/truncated PMIC block: 1 reading\(s\) missing/)]);
    }
  });

  it("1e308 in fnirsi, usb-csv and nvidia-smi logs: quarantined, and the energy stays finite", async () => {
    const cases: [PowerFormat, string[], string][] = [
      [
        "fnirsi",
        [
          "timestamp sample_in_packet voltage_V current_A",
          "1657568326.775 0 5.1 0.49",
          "1657568326.785 1 1e308 0.49",
          "1657568326.795 2 5.1 0.49",
        ],
        "voltage 1e+308 V is outside the physical range 0–60 V of a fnirsi reading",
      ],
      [
        "usb-csv",
        ["time_s,voltage_V,current_A", "0,5.1,0.49", "1,5.1,1e308", "2,5.1,0.49"],
        "current 1e+308 A is outside the physical range 0–100 A of a usb-csv reading",
      ],
      [
        "usb-csv",
        ["time_s,power_w", "0,2.5", "1,1e308", "2,2.5"],
        "power 1e+308 W is above the physical range 0–10000 W of a usb-csv reading",
      ],
      [
        "nvidia-smi",
        [
          "index, timestamp, power.draw [W]",
          "0, 2019/08/23 14:54:47.307, 200.00 W",
          "0, 2019/08/23 14:54:47.407, 1e308 W",
          "0, 2019/08/23 14:54:47.507, 200.00 W",
        ],
        "power 1e+308 W is above the physical range 0–10000 W of a nvidia-smi reading",
      ],
    ];
    for (const [format, lines, reason] of cases) {
      const r = await read(format, lines);
      expect(r.powers, format).toHaveLength(2);
      expect(r.quarantined, format).toEqual([[3, reason]]);
      expect(Number.isFinite(r.total.energyJ), format).toBe(true);
    }
  });

  it("a V × A reading is kept exactly when voltage and current are in range (fast and string paths agree)", () => {
    const { maxVoltageV, maxCurrentA } = PHYSICAL_BOUNDS["usb-csv"];
    const value = fc.oneof(
      fc.double({ min: -10, max: 2000, noNaN: true }),
      fc.constantFrom(0, maxVoltageV, maxCurrentA),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 20 }), (rows) => {
        const text = ["time_s,voltage_V,current_A", "-1,1,1", ...rows.map(([v, a], i) => `${i},${v},${a}`)].join("\n");
        const r = parsePowerText(text, { onQuarantine: () => undefined });
        const kept = rows
          .map(([v, a], i) => ({ i, v, a }))
          .filter(({ v, a }) => v >= 0 && v <= maxVoltageV && a >= 0 && a <= maxCurrentA && v * a <= 10_000);
        expect(r.samples.map((s) => s.line)).toEqual([2, ...kept.map(({ i }) => i + 3)]);
      }),
      { numRuns: 300 },
    );
  });
});
