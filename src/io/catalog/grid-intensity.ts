import { join } from "node:path";
import type { z } from "zod";
import { PATHS } from "../../pipeline/paths.js";
import { decodeJson } from "../json.js";
import { list, num, object, orNull, parseCatalogJson, repeats, schemaVersion, text } from "./fields.js";
import { readCatalogText } from "./read-text.js";

/** `data/catalog/grid-intensity.json`: annual average carbon intensity of a region's electricity. */

/** Where rows' values are printed: an id the rows name, the full citation, and its address. */
export const GridSourceSchema = object({
  id: text(),
  citation: text(),
  url: text(),
});

/**
 * One region: its code, name, intensity (gCO2e/kWh) as its source prints it, the year it is for, and
 * that source. `printed` keeps the source's own value and unit where it prints another unit (lbs/MWh).
 */
export const GridRegionSchema = object({
  code: text(),
  name: text(),
  intensityGCo2ePerKwh: num({ min: 0 }),
  year: num({ integer: true, min: 1900, max: 2100 }),
  source: text(),
  printed: orNull(object({ value: num({ min: 0 }), unit: text() })),
});

const GridCatalogFileSchema = object({
  schemaVersion,
  about: text(),
  sources: list(GridSourceSchema, 1),
  regions: list(GridRegionSchema, 1),
}).superRefine((g, ctx) => {
  const ids = g.sources.map((s) => s.id);
  g.regions.forEach((r, i) => {
    if (!ids.includes(r.source)) {
      ctx.addIssue({ code: "custom", path: ["regions", i, "source"], message: `expected one of ${ids.join(", ")}` });
    }
  });
  for (const r of repeats(g.regions, (x) => x.code.toUpperCase())) {
    ctx.addIssue({ code: "custom", path: ["regions", r.index, "code"], message: `duplicate region code "${r.value}"` });
  }
  for (const r of repeats(g.sources, (x) => x.id)) {
    ctx.addIssue({ code: "custom", path: ["sources", r.index, "id"], message: `duplicate source id "${r.value}"` });
  }
});

export type GridSource = z.output<typeof GridSourceSchema>;
export type GridRegion = z.output<typeof GridRegionSchema>;
export interface GridCatalog {
  file: string;
  sources: GridSource[];
  regions: GridRegion[];
}

export function parseGridCatalog(text: string, file: string): GridCatalog {
  const { sources, regions } = decodeJson(GridCatalogFileSchema, parseCatalogJson(text, file));
  return { file, sources, regions };
}

/** Load `data/catalog/grid-intensity.json` under the project root. */
export function loadGridCatalog(root: string): GridCatalog {
  const file = join(root, PATHS.gridIntensityCatalog);
  return parseGridCatalog(readCatalogText(file, "grid intensity catalog"), file);
}
