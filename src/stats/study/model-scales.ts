import { paperQuant, type ModelCatalog } from "../../catalog/models.js";
import { loadModelCatalog } from "../../io/catalog/models.js";
import { loadQuantCatalog, type QuantCatalog } from "../../io/catalog/quantization.js";
import { isModelId, type ModelId } from "../../domain/ids.js";
import { modelPhysics } from "../../model/physics.js";
import { inventoryFromArchitecture } from "../../model/tensors.js";

/** The size measures a scaling fit can use for one model. */
export interface ModelScale {
  model: ModelId;
  /** The paper's nominal size (billions): 1.1, 1.24, 2.0, 3.8. */
  nominalB: number;
  /** The checkpoint's real parameter count, in billions (Gemma 2 2B has 2.61). */
  parametersB: number;
  /** Weight bytes read per decoded token under the paper profile's quantization (an assumption). */
  bytesPerToken: number;
  /** The quantization assumed for bytesPerToken. */
  quant: string;
}

/** Size measures of the catalog's paper models (nominal, real count, decode bytes per token). */
export function modelScalesFromCatalogs(models: ModelCatalog, quants: QuantCatalog): ModelScale[] {
  const out: ModelScale[] = [];
  for (const m of models.models) {
    if (!isModelId(m.id) || !m.paperProfile) continue;
    const quant = paperQuant(m);
    const phys = modelPhysics(inventoryFromArchitecture(m.architecture, quant, quants), m.architecture);
    out.push({
      model: m.id,
      nominalB: m.parameters.nominalB,
      parametersB: m.parameters.count / 1e9,
      bytesPerToken: phys.decodeWeightBytesPerToken,
      quant,
    });
  }
  return out;
}

/** The same, read from `data/catalog/`. */
export function loadModelScales(root: string): ModelScale[] {
  return modelScalesFromCatalogs(loadModelCatalog(root), loadQuantCatalog(root));
}
