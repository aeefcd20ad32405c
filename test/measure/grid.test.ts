import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { resolveGridIntensity } from "../../src/catalog/grid-intensity.js";
import { loadGridCatalog } from "../../src/io/catalog/grid-intensity.js";
import { detectPowerSensors } from "../../src/io/sensors/detect.js";
import { measureRun } from "../../src/pipeline/measure/run.js";
import { co2eG } from "../../src/metrics/co2e.js";
import { fakeHwmon } from "../collect/fake-sys.js";
import { ROOT } from "../helpers.js";

// `measure --region` / `--grid-intensity` record the intensity in the bundle's manifest, so that
// `ingest` of that bundle has CO2e columns without being told again; an ingest flag still wins.
const dir = mkdtempSync(join(tmpdir(), "slm-measure-grid-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

/** runs.csv as rows of named cells. */
function runsCsv(folder: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(join(folder, "runs.csv"), "utf8").trim().split("\n");
  const names = head!.split(",");
  return rows.map((r) => Object.fromEntries(r.split(",").map((v, i) => [names[i]!, v])));
}

describe("measure records the grid intensity for ingest", () => {
  it("--region DEU: ingest gives CO2e at Germany's intensity without the flag; --grid-intensity wins", async () => {
    const root = join(dir, "board");
    fakeHwmon(root, "VDD_IN", 5000, 1000); // 5 V × 1 A
    const deu = resolveGridIntensity({ region: "DEU" }, () => loadGridCatalog(ROOT))!;
    const s = await measureRun({
      command: "sleep",
      args: ["0.3"],
      outDir: join(dir, "run-deu"),
      meter: "ina3221",
      intervalMs: 50,
      idleS: 0,
      board: null,
      model: null,
      benchmark: null,
      label: null,
      grid: deu,
      catalogIds: [],
      root,
      detect: () => detectPowerSensors({ sysRoot: root, commandExists: () => false }),
    });
    const manifest = JSON.parse(readFileSync(join(s.dir, "manifest.json"), "utf8")) as Record<string, unknown>;
    expect(manifest.grid_intensity).toEqual({
      g_co2e_per_kwh: deu.intensityGCo2ePerKwh,
      region: "DEU",
      year: deu.year,
      source: deu.source,
      source_url: deu.sourceUrl,
    });

    const plain = join(dir, "processed");
    const r = await cli(["ingest", s.dir, "--out", plain]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/grid intensity \(recorded by the run\): .*DEU/);
    const [row] = runsCsv(plain);
    expect(row!.grid_region).toBe("DEU");
    expect(Number(row!.grid_intensity_g_per_kwh)).toBe(deu.intensityGCo2ePerKwh);
    const energyWh = Number(row!.energy_wh);
    expect(energyWh).toBeGreaterThan(0);
    expect(Number(row!.co2e_g)).toBeCloseTo(co2eG(energyWh, deu.intensityGCo2ePerKwh), 9);

    const flagged = join(dir, "processed-100");
    expect((await cli(["ingest", s.dir, "--out", flagged, "--grid-intensity", "100"])).code).toBe(0);
    const [row100] = runsCsv(flagged);
    expect(row100!.grid_region).toBe("");
    expect(Number(row100!.grid_intensity_g_per_kwh)).toBe(100);
    expect(Number(row100!.co2e_g)).toBeCloseTo(co2eG(energyWh, 100), 9);

    const inspected = await cli(["inspect", s.dir, "--json"]);
    expect(JSON.parse(inspected.out)).toMatchObject({ run: { grid_region: "DEU" } });
  });

  it("the CLI records --grid-intensity in the manifest and run.json", async () => {
    const out = join(dir, "run-cli");
    const r = await cli(["measure", "--idle-s", "0", "--grid-intensity", "250", "--out", out, "--", "true"]);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as Record<string, unknown>;
    expect(manifest.grid_intensity).toMatchObject({ g_co2e_per_kwh: 250, region: null });
    const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8")) as { settings: Record<string, unknown> };
    expect(run.settings.grid_intensity).toMatchObject({ g_co2e_per_kwh: 250 });
    const bad = await cli(["measure", "--region", "ATLANTIS", "--out", join(dir, "x"), "--", "true"]);
    expect(bad.code).toBe(2);
  });
});
