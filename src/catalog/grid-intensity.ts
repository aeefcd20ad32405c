import { inputError, usageError } from "../errors.js";
import type { GridCatalog, GridRegion } from "../io/catalog/grid-intensity.js";
import { editDistance } from "../io/suggest.js";
import type { GridIntensityV1 } from "../ingest/types.js";

/** Which grid intensity a CO2e figure uses. Entry types come from their schema (io/catalog/grid-intensity.ts). */
export type { GridCatalog, GridRegion, GridSource } from "../io/catalog/grid-intensity.js";

/** The intensity a CO2e figure is computed with, and where it comes from. */
export interface GridIntensity {
  intensityGCo2ePerKwh: number;
  /** The region code from the catalog; null when the user gave the intensity itself. */
  region: string | null;
  /** The year the catalog's value is for; null when given by the user. */
  year: number | null;
  /** The catalog row's citation, or "given by the user". */
  source: string;
  /** The address of the row's source; null when given by the user. */
  sourceUrl: string | null;
}

/** What the user asked for: an intensity (gCO2e/kWh), a region code of the catalog, or neither. */
export interface GridRequest {
  intensityGCo2ePerKwh?: number | undefined;
  region?: string | undefined;
}

export const USER_GIVEN_SOURCE = "given by the user";

/** A grid intensity as a bundle manifest records it (`grid_intensity`). */
export function gridIntensityRecord(g: GridIntensity): GridIntensityV1 {
  return {
    g_co2e_per_kwh: g.intensityGCo2ePerKwh,
    region: g.region,
    year: g.year,
    source: g.source,
    source_url: g.sourceUrl,
  };
}

/** The grid intensity a manifest records, or null when it records none. */
export function gridIntensityOfRecord(r: GridIntensityV1 | undefined): GridIntensity | null {
  if (r === undefined) return null;
  return {
    intensityGCo2ePerKwh: r.g_co2e_per_kwh,
    region: r.region ?? null,
    year: r.year ?? null,
    source: r.source ?? USER_GIVEN_SOURCE,
    sourceUrl: r.source_url ?? null,
  };
}

/** The intensity a run's CO2e is computed at: the one asked for now (a flag), else the run's own, else none. */
export const runGridIntensity = (
  asked: GridIntensity | null,
  manifest: { grid_intensity?: GridIntensityV1 },
): GridIntensity | null => asked ?? gridIntensityOfRecord(manifest.grid_intensity);

/** Region codes nearest to `query` (by code or by name, case-insensitive), at most `max`. */
export function closeRegionCodes(catalog: GridCatalog, query: string, max = 5): string[] {
  const q = query.trim().toUpperCase();
  const scored = catalog.regions.map((r) => {
    const name = r.name.replace(/\s*\(.*\)$/, "").toUpperCase();
    const byName = q.length >= 3 && name.includes(q) ? 0 : editDistance(q, name);
    return { code: r.code, d: Math.min(editDistance(q, r.code.toUpperCase()), byName) };
  });
  return scored
    .filter((s) => s.d <= 2)
    .sort((a, b) => a.d - b.d || (a.code < b.code ? -1 : 1))
    .slice(0, max)
    .map((s) => s.code);
}

/** The catalog row of `code` (case-insensitive), or of a region named exactly so; an unknown one lists close codes. */
export function findGridRegion(catalog: GridCatalog, code: string): GridRegion {
  const q = code.trim().toUpperCase();
  const row =
    catalog.regions.find((r) => r.code.toUpperCase() === q) ?? catalog.regions.find((r) => r.name.toUpperCase() === q);
  if (row !== undefined) return row;
  const close = closeRegionCodes(catalog, code);
  throw inputError(`unknown grid region "${code}"`, {
    file: catalog.file,
    field: "region",
    hint:
      (close.length > 0 ? `close codes: ${close.join(", ")}; ` : "") +
      `the catalog keys ${catalog.regions.length} regions by ISO code: countries alpha-3 (DEU, USA…), US states US-CA…`,
  });
}

/** The intensity of a request: null when it asks for none; both an intensity and a region is an error. */
export function resolveGridIntensity(request: GridRequest, catalog: () => GridCatalog): GridIntensity | null {
  const { intensityGCo2ePerKwh: given, region } = request;
  if (given !== undefined && region !== undefined) {
    throw usageError("give a grid intensity or a region, not both", "the region's intensity comes from the catalog");
  }
  if (given !== undefined) {
    return { intensityGCo2ePerKwh: given, region: null, year: null, source: USER_GIVEN_SOURCE, sourceUrl: null };
  }
  if (region === undefined) return null;
  const c = catalog();
  const row = findGridRegion(c, region);
  const source = c.sources.find((s) => s.id === row.source);
  return {
    intensityGCo2ePerKwh: row.intensityGCo2ePerKwh,
    region: row.code,
    year: row.year,
    source: source?.citation ?? row.source,
    sourceUrl: source?.url ?? null,
  };
}

/** Which intensity is used, in a few words: "369.473 gCO2e/kWh (USA, 2023; <source address>)". */
export function gridIntensityText(g: GridIntensity): string {
  const where = g.region === null ? g.source : `${g.region}, ${g.year ?? "year unknown"}; ${g.sourceUrl ?? g.source}`;
  return `${g.intensityGCo2ePerKwh} gCO2e/kWh (${where})`;
}
