import { inputError, notFoundError } from "../errors.js";
import type { ModelCatalog, ModelSpec } from "../io/catalog/models.js";

/** Lookups in the model catalog. Its entries' types come from their schema (io/catalog/models.ts). */
export type { Architecture } from "../io/catalog/architecture.js";
export type { ModelCatalog, ModelSpec, PaperProfile } from "../io/catalog/models.js";
export { TOKENIZER_FAMILIES, tokenizerFamilyForVocab, type TokenizerFamily } from "../domain/families.js";

/** The model with this id, or with this id among its aliases (e.g. an instruct variant of the same architecture). */
export function findModel(catalog: ModelCatalog, id: string): ModelSpec {
  const m = catalog.models.find((x) => x.id === id) ?? catalog.models.find((x) => x.aliases.includes(id));
  if (!m) {
    throw notFoundError(`unknown model "${id}"`, {
      file: catalog.file,
      hint:
        `known models: ${catalog.models.map((x) => x.id).join(", ")}; ` +
        "or describe a model with --model-spec FILE or --gguf FILE",
    });
  }
  return m;
}

/** The paper profile's quantization of a model, or an error saying how to give one. */
export function paperQuant(model: ModelSpec): string {
  if (!model.paperProfile) {
    throw inputError(`model "${model.id}" has no paper-profile quantization`, {
      field: "quantization",
      hint: "name the quantization to predict for (e.g. Q4_0, Q4_K_M, Q8_0)",
    });
  }
  return model.paperProfile.quant;
}
