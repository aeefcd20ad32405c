import type { z } from "zod";
import { PARAMETER_COUNT_TOLERANCE, parameterCountFromArchitecture } from "../../catalog/architecture.js";
import { TOKENIZER_FAMILIES, tokenizerFamilyForVocab } from "../../domain/families.js";
import { decodeJson } from "../json.js";
import { ArchitectureSchema } from "./architecture.js";
import {
  list,
  num,
  object,
  parseCatalogJson,
  oneOf,
  orDefault,
  orNull,
  schemaVersion,
  slug,
  text,
  uniqueIdList,
  unwrap,
} from "./fields.js";

/**
 * `data/catalog/models.json` and the user's `--model-spec` files (one entry, same fields). The
 * stated parameter count must agree with the architecture's; the tokenizer, the count and the
 * nominal size default to what the architecture implies.
 */

export const PaperProfileSchema = object({
  runtime: text(),
  tag: text(),
  /** GGUF file type assumed for the study's runs (e.g. Q4_0). */
  quant: text(),
  fileSizeBytes: orNull(num({ integer: true, min: 1 })),
  assumption: text(),
});

const TokenizerSchema = object({
  kind: text(),
  vocab: num({ integer: true, min: 1 }),
  family: oneOf(TOKENIZER_FAMILIES),
});

const ModelEntrySchema = object({
  id: slug("use a lowercase slug such as my-model-3b"),
  /** Other ids of the same architecture (instruct/chat variants, runtime tags): findModel resolves them. */
  aliases: orDefault(list(slug("use a lowercase slug such as my-model-3b-instruct")), () => []),
  label: text(),
  checkpoint: orNull(text()),
  /** Where the architecture's numbers come from: config.json (repository, file, commit) or printed GGUF metadata. */
  architectureSource: orNull(text()),
  ggufArchitecture: orDefault(text(), () => "llama"),
  architecture: ArchitectureSchema,
  tokenizer: orNull(TokenizerSchema),
  parameters: object({
    /** The size the paper normalizes by (billions), e.g. 2.0 for Gemma 2. */
    nominalB: orNull(num({ exclusiveMin: 0 })),
    printed: orNull(text()),
    /** The checkpoint's real parameter count. */
    count: orNull(num({ integer: true, min: 1 })),
  }),
  trainingTokensT: orNull(num({ exclusiveMin: 0 })),
  paperProfile: orNull(PaperProfileSchema),
});
type ModelEntry = z.output<typeof ModelEntrySchema>;

function checkParameterCount(m: ModelEntry, ctx: z.RefinementCtx): void {
  const computed = parameterCountFromArchitecture(m.architecture);
  const count = m.parameters.count;
  if (count !== null && Math.abs(count - computed) / computed > PARAMETER_COUNT_TOLERANCE) {
    ctx.addIssue({
      code: "custom",
      path: ["parameters", "count"],
      message:
        `stated parameter count differs from the architecture's (${computed}) ` +
        `by more than ${PARAMETER_COUNT_TOLERANCE * 100}%`,
      params: {
        hint: "check layers, hidden, ffn, heads, kvHeads, headDim, vocab and tiedEmbeddings, or omit parameters.count",
      },
    });
  }
}

/** The entry with what the architecture implies filled in. */
function withDefaults(m: ModelEntry) {
  const count = m.parameters.count ?? parameterCountFromArchitecture(m.architecture);
  const vocab = m.architecture.vocab;
  return {
    id: m.id,
    aliases: m.aliases,
    label: m.label,
    checkpoint: m.checkpoint,
    architectureSource: m.architectureSource,
    ggufArchitecture: m.ggufArchitecture,
    architecture: m.architecture,
    tokenizer: m.tokenizer ?? { kind: "unknown", vocab, family: tokenizerFamilyForVocab(vocab) },
    parameters: {
      nominalB: m.parameters.nominalB ?? Math.round(count / 1e7) / 100,
      printed: m.parameters.printed,
      count,
    },
    trainingTokensT: m.trainingTokensT,
    paperProfile: m.paperProfile,
  };
}

/** One model entry: a catalog item, or a `--model-spec` file. */
export const ModelSpecSchema = ModelEntrySchema.superRefine(checkParameterCount).transform(withDefaults);

export type ModelSpec = z.output<typeof ModelSpecSchema>;
export type PaperProfile = z.output<typeof PaperProfileSchema>;

const ModelCatalogFileSchema = object({
  schemaVersion,
  models: uniqueIdList(ModelSpecSchema, "model"),
}).superRefine((c, ctx) => {
  const owner = new Map(c.models.map((m) => [m.id, m.id]));
  c.models.forEach((m, i) => {
    m.aliases.forEach((a, j) => {
      const first = owner.get(a);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["models", i, "aliases", j],
          message: `"${a}" already names model "${first}"`,
          params: { hint: "give every id and alias to one model only" },
        });
      } else owner.set(a, m.id);
    });
  });
});

export type ModelCatalog = Pick<z.output<typeof ModelCatalogFileSchema>, "models"> & { file: string };

export function parseModelCatalog(text: string, file: string): ModelCatalog {
  const { models } = decodeJson(ModelCatalogFileSchema, parseCatalogJson(text, file));
  return { file, models };
}

/** Parse a user's `--model-spec` file: one model object (or `{"model": {...}}`). */
export function parseModelSpecFile(text: string, file: string): ModelSpec {
  const doc = parseCatalogJson(text, file);
  return decodeJson(ModelSpecSchema, doc, unwrap(doc.value, "model"));
}
