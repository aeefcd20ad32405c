/** Jetson Thor / JetPack 7 tegrastats (issue 13), from a fixture written from the documented format. */
import { describe, expect, it } from "vitest";
import { readFixture } from "./helpers.js";

describe("Thor / JetPack 7 tegrastats", () => {
  it("takes VIN as the total; no GR3D_FREQ, lowercase /limit temperatures, VDD_GPU: 20 W × 4 s = 80 J", async () => {
    const r = await readFixture("tegrastats-thor-jp7.log");
    expect(r.format).toBe("tegrastats");
    expect(r.quarantined).toEqual([]);
    expect(r.summary.rail).toBe("VIN");
    expect(r.summary.totalRule).toBe("input rail VIN");
    expect(r.samples[0]!.railsW).toEqual({ VDD_GPU: 2, VDD_CPU_SOC_MSS: 4.1, VIN_SYS_5V0: 4.2, VIN: 20 });
    expect(r.total.energyJ).toBeCloseTo(80, 9);
  });
});
