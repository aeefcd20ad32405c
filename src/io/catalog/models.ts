import { join } from "node:path";
import { PATHS } from "../../pipeline/paths.js";
import { parseModelCatalog, type ModelCatalog } from "./model-spec.js";
import { readCatalogText } from "./read-text.js";

/** The model catalog's schema and parsers (pure: also run in the site's predictor page). */
export * from "./model-spec.js";

/** Load `data/catalog/models.json` under the project root. */
export function loadModelCatalog(root: string): ModelCatalog {
  const file = join(root, PATHS.modelCatalog);
  return parseModelCatalog(readCatalogText(file, "model catalog"), file);
}
