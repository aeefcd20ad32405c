import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { integrateWindows, totalEnergy } from "../../../src/ingest/energy/index.js";
import { parsePowerText } from "../../../src/ingest/power/index.js";
import type { PowerSample } from "../../../src/ingest/types.js";

/** A random piecewise-linear trace: increasing times, non-negative powers. */
const trace = fc
  .array(fc.tuple(fc.double({ min: 0.001, max: 5, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true })), {
    minLength: 2,
    maxLength: 60,
  })
  .map((steps) => {
    let t = 0;
    return steps.map(([dt, p], i) => {
      t += dt;
      return { tS: t, powerW: p, line: i + 1 } as PowerSample;
    });
  });

/**
 * The exact area under the piecewise-linear function through the samples over [a, b], from its
 * antiderivative F(x) = F(tᵢ) + pᵢ·(x − tᵢ) + ½·slopeᵢ·(x − tᵢ)² (a different route than the
 * trapezoid-with-clipping of the integrator). Outside the trace the function is undefined (0).
 */
function exactArea(s: PowerSample[], a: number, b: number): number {
  const F = (x: number): number => {
    let acc = 0;
    for (let i = 0; i + 1 < s.length; i++) {
      const t0 = s[i]!.tS!,
        t1 = s[i + 1]!.tS!;
      if (x <= t0) break;
      const slope = (s[i + 1]!.powerW - s[i]!.powerW) / (t1 - t0);
      const u = Math.min(x, t1) - t0;
      acc += s[i]!.powerW * u + 0.5 * slope * u * u;
    }
    return acc;
  };
  return F(b) - F(a);
}

const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));

describe("energy integration, property-based", () => {
  it("equals the exact area of a random piecewise-linear trace over any window", async () => {
    await fc.assert(
      fc.asyncProperty(
        trace,
        fc.double({ min: -0.2, max: 1.2, noNaN: true }),
        fc.double({ min: -0.2, max: 1.2, noNaN: true }),
        async (s, u, v) => {
          const t0 = s[0]!.tS!,
            t1 = s[s.length - 1]!.tS!;
          const a = t0 + Math.min(u, v) * (t1 - t0);
          const b = t0 + Math.max(u, v) * (t1 - t0);
          fc.pre(b > a);
          const [w] = await integrateWindows(s, [{ id: "w", startS: a, endS: b }]);
          expect(close(w!.energyJ, exactArea(s, Math.max(a, t0), Math.min(b, t1)))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("splitting a window in two gives two energies that sum to the whole", async () => {
    await fc.assert(
      fc.asyncProperty(
        trace,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        async (s, u, m, spans) => {
          const input = spans ? s.slice(1).map((x, i) => ({ ...x, spanS: x.tS! - s[i]!.tS! })) : s;
          const t0 = s[0]!.tS!,
            t1 = s[s.length - 1]!.tS!;
          const a = t0 + u * (t1 - t0) * 0.5;
          const b = t1;
          const mid = a + m * (b - a);
          const [whole, left, right] = await integrateWindows(input, [
            { id: "whole", startS: a, endS: b },
            { id: "left", startS: a, endS: mid },
            { id: "right", startS: mid, endS: b },
          ]);
          expect(close(left!.energyJ + right!.energyJ, whole!.energyJ)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("one window over the whole trace equals totalEnergy", async () => {
    await fc.assert(
      fc.asyncProperty(trace, async (s) => {
        const [w] = await integrateWindows(s, [{ id: "all", startS: s[0]!.tS!, endS: s[s.length - 1]!.tS! }]);
        expect(close(w!.energyJ, (await totalEnergy(s)).energyJ)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

/** Text that can never be a reading: it starts with a letter and holds no line break. */
const garbage = fc.string({ maxLength: 40 }).map((x) => `x${x.replace(/[\r\n]/g, " ")}`);

describe("corrupted logs, property-based", () => {
  const csvOf = (s: PowerSample[]) => s.map((x) => `${x.tS},${x.powerW}`);

  it("corrupted lines never change the energy of the good ones (generic CSV)", async () => {
    await fc.assert(
      fc.asyncProperty(
        trace,
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.oneof(
              garbage.map((g) => ({ kind: "garbage" as const, g })),
              fc.constant({ kind: "na" as const }),
              fc.nat().map((cut) => ({ kind: "cut" as const, cut })),
            ),
          ),
          { maxLength: 15 },
        ),
        fc.boolean(),
        async (s, corruptions, crlf) => {
          const good = csvOf(s);
          const lines = [...good];
          for (const [at, c] of corruptions) {
            const k = at % lines.length;
            if (c.kind === "garbage") lines.splice(k, 0, c.g);
            else if (c.kind === "na") lines.splice(k + 1, 0, `${lines[k]!.split(",")[0]},N/A`);
            else if (lines[k]!.length >= 2)
              lines.splice(k + 1, 0, lines[k]!.slice(0, 1 + (c.cut % (lines[k]!.length - 1)))); // a cut copy after its original
          }
          const eol = crlf ? "\r\n" : "\n";
          const clean = parsePowerText(["time_s,power_w", ...good].join("\n") + "\n");
          const dirty = parsePowerText(["time_s,power_w", ...lines].join(eol) + eol);
          expect(dirty.samples.map((x) => [x.tS, x.powerW])).toEqual(clean.samples.map((x) => [x.tS, x.powerW]));
          expect(dirty.quarantined.length).toBe(lines.length - good.length);
          expect((await totalEnergy(dirty.samples)).energyJ).toBe((await totalEnergy(clean.samples)).energyJ);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("foreign lines in a tegrastats log without times keep every reading in its slot", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 20000 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(), garbage), { maxLength: 10 }),
        async (mw, junk) => {
          const good = mw.map(
            (p) => `RAM 1180/3965MB (lfb 1x2MB) CPU [30%@1036] POM_5V_IN ${p}/4680 POM_5V_GPU 0/0 POM_5V_CPU 1078/1205`,
          );
          const lines = [...good];
          for (const [at, g] of junk) lines.splice(at % (lines.length + 1), 0, g.replace(/RAM|POM|VDD/g, "-"));
          const clean = parsePowerText(good.join("\n"), { intervalMs: 200 });
          const dirty = parsePowerText(lines.join("\n"), { intervalMs: 200 });
          expect(dirty.samples.map((x) => [x.tS, x.powerW])).toEqual(clean.samples.map((x) => [x.tS, x.powerW]));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("corrupted PMIC logs, property-based", () => {
  const block = (k: number) => [
    `  VDD_CORE_A current(7)=${(1 + k / 10).toFixed(8)}A`,
    "   3V3_SYS_A current(1)=0.15224510A",
    `  VDD_CORE_V volt(15)=${(0.8 + k / 100).toFixed(8)}V`,
    "   3V3_SYS_V volt(9)=3.31931300V",
    "     EXT5V_V volt(24)=4.87894000V",
  ];

  it("garbage lines anywhere, even inside a block, never change the blocks' readings", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.tuple(fc.nat(), garbage), { maxLength: 12 }),
        fc.boolean(),
        async (n, junk, stamped) => {
          const good: string[] = [];
          for (let k = 0; k < n; k++) {
            if (stamped) good.push(`${1758469097 + k * 0.5}`);
            good.push(...block(k));
          }
          const lines = [...good];
          for (const [at, g] of junk) lines.splice(at % (lines.length + 1), 0, g);
          const clean = parsePowerText(good.join("\n"), { intervalMs: 500 });
          const dirty = parsePowerText(lines.join("\n"), { intervalMs: 500 });
          expect(dirty.samples.map((x) => [x.tS, x.powerW])).toEqual(clean.samples.map((x) => [x.tS, x.powerW]));
          expect(dirty.quarantined).toHaveLength(junk.length);
          expect((await totalEnergy(dirty.samples)).energyJ).toBe((await totalEnergy(clean.samples)).energyJ);
        },
      ),
      { numRuns: 200 },
    );
  });
});
