import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { co2eG } from "../../src/metrics/co2e.js";
import { loadGridCatalog, parseGridCatalog } from "../../src/io/catalog/grid-intensity.js";
import { closeRegionCodes, resolveGridIntensity, USER_GIVEN_SOURCE } from "../../src/catalog/grid-intensity.js";
import {
  INFERENCE_CO2E_COLUMNS,
  INFERENCE_COLUMNS,
  RUN_CO2E_COLUMNS,
  RUN_COLUMNS,
} from "../../src/io/processed-tables.js";
import { parseCsv } from "../../src/io/csv.js";
import { SlmError } from "../../src/errors.js";
import { ROOT, runCli } from "../helpers.js";

const catalog = loadGridCatalog(ROOT);
const BUNDLE = join(ROOT, "data", "raw", "sim-nano-llama32-winogrande-tegrastats");
const CODECARBON_COMMIT = "b05965e43b690cdc53787c7577adbe6e2caf4ed9";

function thrown(fn: () => unknown): SlmError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SlmError) return e;
    throw e;
  }
  throw new Error("expected an error");
}

/** The rows of a CSV text as records keyed by its header. */
function records(text: string): Record<string, string>[] {
  return parseCsv(text, "runs.csv").records.map((r) => r.values);
}

describe("co2eG", () => {
  it("is energy in kWh times the intensity in gCO2e/kWh", () => {
    expect(co2eG(1000, 400)).toBe(400);
    expect(co2eG(0.05, 380.95)).toBeCloseTo(0.0190475, 12);
    expect(co2eG(0, 500)).toBe(0);
  });
});

describe("grid-intensity catalog", () => {
  it("cites a source and a year for every row, each source by file and commit", () => {
    expect(catalog.regions.length).toBeGreaterThan(200);
    const ids = catalog.sources.map((s) => s.id);
    for (const r of catalog.regions) {
      expect(ids, r.code).toContain(r.source);
      expect(Number.isInteger(r.year), r.code).toBe(true);
      expect(r.intensityGCo2ePerKwh, r.code).toBeGreaterThanOrEqual(0);
    }
    for (const s of catalog.sources) {
      expect(s.url).toContain(CODECARBON_COMMIT);
      expect(s.citation).toMatch(/global_energy_mix\.json|usa_emissions\.json/);
    }
  });

  it("holds the values CodeCarbon's table prints, with their year", () => {
    const row = (code: string) => catalog.regions.find((r) => r.code === code);
    expect(row("DEU")).toMatchObject({ intensityGCo2ePerKwh: 380.95, year: 2023 });
    expect(row("FRA")).toMatchObject({ intensityGCo2ePerKwh: 56.039, year: 2023 });
    expect(row("ABW")).toMatchObject({ intensityGCo2ePerKwh: 561.224, year: 2022 });
    expect(row("US-RI")).toMatchObject({ year: 2016, printed: { value: 870.822, unit: "lbs/MWh" } });
  });

  it("converts a printed lbs/MWh exactly (1 lb = 453.59237 g), to 6 significant digits", () => {
    const converted = catalog.regions.filter((r) => r.printed !== null);
    expect(converted.length).toBe(51);
    for (const r of converted) {
      expect(r.printed!.unit, r.code).toBe("lbs/MWh");
      expect(r.intensityGCo2ePerKwh, r.code).toBe(Number((r.printed!.value * 0.45359237).toPrecision(6)));
    }
  });

  const doc = (regions: object[]) =>
    JSON.stringify({ schemaVersion: 1, about: "test", sources: [{ id: "a", citation: "c", url: "u" }], regions });

  it("rejects a row without a year, naming the field", () => {
    const e = thrown(() =>
      parseGridCatalog(doc([{ code: "XXA", name: "A", intensityGCo2ePerKwh: 1, source: "a" }]), "g"),
    );
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain("a value is required");
    expect(e.field).toContain("year");
  });

  it("rejects a row whose source is not listed", () => {
    const row = { code: "XXB", name: "B", intensityGCo2ePerKwh: 1, year: 2020, source: "b" };
    const e = thrown(() => parseGridCatalog(doc([row]), "g"));
    expect(e.message).toContain("expected one of a");
    expect(e.field).toContain("source");
  });
});

describe("resolveGridIntensity", () => {
  const load = () => catalog;

  it("is null when neither an intensity nor a region is asked for", () => {
    expect(resolveGridIntensity({}, load)).toBeNull();
  });

  it("takes a region's row, case-insensitively, with its year and citation", () => {
    const g = resolveGridIntensity({ region: "deu" }, load)!;
    expect(g).toMatchObject({ intensityGCo2ePerKwh: 380.95, region: "DEU", year: 2023 });
    expect(g.sourceUrl).toContain(CODECARBON_COMMIT);
  });

  it("uses a given intensity as the user's", () => {
    expect(resolveGridIntensity({ intensityGCo2ePerKwh: 250 }, load)).toMatchObject({
      intensityGCo2ePerKwh: 250,
      region: null,
      source: USER_GIVEN_SOURCE,
    });
  });

  it("refuses an unknown region (exit 2), listing close codes", () => {
    const e = thrown(() => resolveGridIntensity({ region: "DEX" }, load));
    expect(e.exitCode).toBe(2);
    expect(e.field).toBe("region");
    expect(e.message).toContain('unknown grid region "DEX"');
    expect(e.hint).toMatch(/close codes: .*DEU/);
    expect(closeRegionCodes(catalog, "germny")).toContain("DEU");
    expect(closeRegionCodes(catalog, "calfornia")).toContain("US-CA");
  });

  it("refuses both an intensity and a region", () => {
    expect(thrown(() => resolveGridIntensity({ intensityGCo2ePerKwh: 1, region: "DEU" }, load)).exitCode).toBe(2);
  });
});

describe("ingest --grid-intensity / --region", () => {
  it("adds the CO2e columns to runs.csv only when asked", async () => {
    const plain = mkdtempSync(join(tmpdir(), "slm-co2e-"));
    const withGrid = mkdtempSync(join(tmpdir(), "slm-co2e-"));
    expect((await runCli(["ingest", BUNDLE, "--out", plain])).code).toBe(0);
    const r = await runCli(["ingest", BUNDLE, "--out", withGrid, "--region", "DEU"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/CO2e .* gCO2e per inference/);
    expect(r.stdout).toContain("380.95 gCO2e/kWh (DEU, 2023");
    const a = readFileSync(join(plain, "runs.csv"), "utf8");
    const b = readFileSync(join(withGrid, "runs.csv"), "utf8");
    expect(parseCsv(a, "runs.csv").header).toEqual([...RUN_COLUMNS]);
    expect(parseCsv(b, "runs.csv").header).toEqual([...RUN_COLUMNS, ...RUN_CO2E_COLUMNS]);
    const row = records(b)[0]!;
    expect(Number(row.co2e_g)).toBeCloseTo(co2eG(Number(row.energy_wh), 380.95), 9);
    expect(Number(row.co2e_g_per_inference)).toBeCloseTo(co2eG(Number(row.energy_per_inference_wh), 380.95), 9);
    expect(row.grid_intensity_g_per_kwh).toBe("380.95");
    expect(row.grid_region).toBe("DEU");
    for (const t of ["quarantine.csv", "ingest-summary.json"])
      expect(readFileSync(join(withGrid, t), "utf8")).toBe(readFileSync(join(plain, t), "utf8"));
  });

  it("adds each inference's CO2e (and its phases') to inferences.csv only when asked", async () => {
    const plain = mkdtempSync(join(tmpdir(), "slm-co2e-"));
    const withGrid = mkdtempSync(join(tmpdir(), "slm-co2e-"));
    expect((await runCli(["ingest", BUNDLE, "--out", plain])).code).toBe(0);
    expect((await runCli(["ingest", BUNDLE, "--out", withGrid, "--grid-intensity", "250"])).code).toBe(0);
    const a = readFileSync(join(plain, "inferences.csv"), "utf8");
    const b = readFileSync(join(withGrid, "inferences.csv"), "utf8");
    expect(parseCsv(a, "inferences.csv").header).toEqual([...INFERENCE_COLUMNS]);
    expect(parseCsv(b, "inferences.csv").header).toEqual([...INFERENCE_COLUMNS, ...INFERENCE_CO2E_COLUMNS]);
    const plainRows = records(a);
    const rows = records(b);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.energy_gross_j !== "")).toBe(true);
    rows.forEach((row, i) => {
      // The columns before CO2e are the plain table's, unchanged.
      for (const c of INFERENCE_COLUMNS) expect(row[c]).toBe(plainRows[i]![c]);
      const g = (j: string): number | string => (j === "" ? "" : co2eG(Number(j) / 3600, 250));
      for (const [col, energy] of [
        ["co2e_g", row.energy_gross_j],
        ["co2e_prefill_g", row.energy_prefill_j],
        ["co2e_decode_g", row.energy_decode_j],
      ] as const) {
        const want = g(energy!);
        if (want === "") expect(row[col]).toBe("");
        else expect(Number(row[col])).toBeCloseTo(want, 9);
      }
      expect(row.grid_intensity_g_per_kwh).toBe("250");
      expect(row.grid_region).toBe("");
    });
  });

  it("writes a runs.csv the readers of ingested runs still read", async () => {
    const out = mkdtempSync(join(tmpdir(), "slm-co2e-"));
    expect((await runCli(["ingest", BUNDLE, "--out", out, "--grid-intensity", "300"])).code).toBe(0);
    const args = ["recommend", "--max-energy-wh-per-inference", "1", "--min-accuracy", "1", "--measured-only"];
    const r = await runCli([...args, "--processed", out, "--json"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("left out");
  });

  it("fails with exit 2 on an unknown region, naming the option and close codes", async () => {
    const out = mkdtempSync(join(tmpdir(), "slm-co2e-"));
    const r = await runCli(["ingest", BUNDLE, "--out", out, "--region", "FRQ"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown grid region "FRQ"');
    expect(r.stderr).toMatch(/close codes: .*FRA/);
    expect(r.stderr).toContain("--region CODE");
  });
});

describe("inspect <bundle> --grid-intensity", () => {
  it("gives the run's and each inference's CO2e with the intensity used", async () => {
    const r = await runCli(["inspect", BUNDLE, "--grid-intensity", "500", "--json"]);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as {
      run: Record<string, number | string | null>;
      records: { co2e_g: number; energy_gross_j: number }[];
    };
    expect(d.run.grid_intensity_g_per_kwh).toBe(500);
    expect(d.run.grid_region).toBeNull();
    expect(d.run.co2e_g).toBeCloseTo(co2eG(d.run.energy_wh as number, 500), 12);
    expect(d.records[0]!.co2e_g).toBeCloseTo(co2eG(d.records[0]!.energy_gross_j / 3600, 500), 12);
    const text = await runCli(["inspect", BUNDLE, "--region", "FRA"]);
    expect(text.stdout).toMatch(/CO2e +\S+ gCO2e per inference, \S+ gCO2e per run/);
    expect(text.stdout).toContain("56.039 gCO2e/kWh (FRA, 2023");
  });

  it("has no CO2e fields without the options", async () => {
    const d = JSON.parse((await runCli(["inspect", BUNDLE, "--json"])).stdout) as { run: Record<string, unknown> };
    expect(Object.keys(d.run).filter((k) => k.includes("co2e") || k.includes("grid"))).toEqual([]);
  });
});

describe("predict and recommend --region", () => {
  const predict = ["predict", "--device", "jetson-nano", "--backend", "cpu", "--model", "llama-3.2-1b"];

  it("predict gives CO2e per inference at the region's intensity", async () => {
    const r = await runCli([...predict, "--benchmark", "winogrande", "--region", "SWE", "--json"]);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as Record<string, number | string | null>;
    const swe = catalog.regions.find((x) => x.code === "SWE")!;
    expect(d.grid_region).toBe("SWE");
    expect(d.grid_intensity_g_per_kwh).toBe(swe.intensityGCo2ePerKwh);
    expect(d.co2e_g).toBeCloseTo(co2eG(d.energy_wh as number, swe.intensityGCo2ePerKwh), 6);
    // The interval: the energy interval's ends at the same intensity, around the point value.
    const full = JSON.parse(r.stdout) as {
      interval: { level: number; low: { energy_wh: number }; high: { energy_wh: number } };
      co2e_interval: { level: number; low_g: number; high_g: number };
    };
    expect(full.co2e_interval.level).toBe(full.interval.level);
    expect(full.co2e_interval.low_g).toBeCloseTo(co2eG(full.interval.low.energy_wh, swe.intensityGCo2ePerKwh), 6);
    expect(full.co2e_interval.high_g).toBeCloseTo(co2eG(full.interval.high.energy_wh, swe.intensityGCo2ePerKwh), 6);
    expect(full.co2e_interval.low_g).toBeLessThanOrEqual(d.co2e_g as number);
    expect(full.co2e_interval.high_g).toBeGreaterThanOrEqual(d.co2e_g as number);
    expect(d.grid_source).toEqual(expect.any(String));
    const text = await runCli([...predict, "--benchmark", "winogrande", "--grid-intensity", "100"]);
    expect(text.stdout).toMatch(/CO2e +\S+ gCO2e per inference/);
    expect(text.stdout).toContain("100 gCO2e/kWh (given by the user)");
  });

  it("recommend gives each choice's CO2e per inference and the intensity used", async () => {
    const args = ["recommend", "--max-energy-wh-per-inference", "0.003", "--min-accuracy", "60"];
    const r = await runCli([...args, "--benchmark", "hellaswag", "--measured-only", "--region", "DEU", "--json"]);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as {
      grid_intensity_g_per_kwh: number;
      grid_region: string;
      recommendations: { co2e_g: number; energy_wh_per_inference: number }[];
    };
    expect(d.grid_region).toBe("DEU");
    expect(d.grid_intensity_g_per_kwh).toBe(380.95);
    expect(d.recommendations.length).toBeGreaterThan(0);
    for (const x of d.recommendations) expect(x.co2e_g).toBeCloseTo(co2eG(x.energy_wh_per_inference, 380.95), 6);
    const text = await runCli([...args, "--benchmark", "hellaswag", "--measured-only", "--region", "DEU"]);
    expect(text.stdout).toContain("CO2e g/inference");
    expect(text.stdout).toContain("380.95 gCO2e/kWh (DEU, 2023");
  });

  it("predict refuses an unknown region with exit 2", async () => {
    const r = await runCli([...predict, "--benchmark", "winogrande", "--region", "ZZZ"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown grid region "ZZZ"');
  });
});
