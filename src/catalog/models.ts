import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inputError, notFoundError } from "../errors.js";
import { parseJsonWithLines } from "./json-lines.js";
import { JsonCursor } from "./json-cursor.js";
import { readSchemaVersion } from "./devices.js";
import { parameterCountFromArchitecture } from "./architecture.js";

/** A dense decoder-only transformer as its config.json describes it. */
export interface Architecture {
  layers: number;
  hidden: number;
  /** FFN intermediate size (gated: gate and up are each hidden × ffn). */
  ffn: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  vocab: number;
  /** The input embedding is also the output head (read in full every decoded token). */
  tiedEmbeddings: boolean;
  contextLength: number;
  slidingWindow: number | null;
  /** RMSNorm weight vectors per layer (2 for Llama-style, 4 for Gemma 2). */
  normsPerLayer: number;
  /** Q, K, V stored as one tensor (Phi-3's attn_qkv). */
  fusedQkv: boolean;
  /** FFN gate and up stored as one tensor (Phi-3's ffn_up of 2 × ffn). */
  fusedGateUp: boolean;
}

/**
 * Tokenizer family: the text → token ratio depends on it. `llama2-32k` (TinyLlama, Phi-3) and
 * `large-vocab` (Llama 3's 128k, Gemma's 256k) are the two families the study's data separates.
 */
export const TOKENIZER_FAMILIES = ["llama2-32k", "large-vocab"] as const;
export type TokenizerFamily = (typeof TOKENIZER_FAMILIES)[number];

export interface PaperProfile {
  runtime: string;
  tag: string;
  /** GGUF file type assumed for the study's runs (e.g. Q4_0). */
  quant: string;
  fileSizeBytes: number | null;
  assumption: string;
}

export interface ModelSpec {
  id: string;
  label: string;
  checkpoint: string | null;
  ggufArchitecture: string;
  architecture: Architecture;
  tokenizer: { kind: string; vocab: number; family: TokenizerFamily };
  parameters: {
    /** The size the paper normalizes by (billions), e.g. 2.0 for Gemma 2. */
    nominalB: number;
    printed: string | null;
    /** The checkpoint's real parameter count. */
    count: number;
  };
  trainingTokensT: number | null;
  paperProfile: PaperProfile | null;
}

export interface ModelCatalog {
  file: string;
  models: ModelSpec[];
}

const SLUG = /^[a-z0-9][a-z0-9._-]*$/;

/** The largest relative gap allowed between a stated parameter count and the architecture's. */
export const PARAMETER_COUNT_TOLERANCE = 0.01;

export function tokenizerFamilyForVocab(vocab: number): TokenizerFamily {
  return vocab >= 100_000 ? "large-vocab" : "llama2-32k";
}

export function readArchitecture(c: JsonCursor): Architecture {
  const int = (k: string, max: number) => c.key(k).number({ integer: true, min: 1, max });
  const a: Architecture = {
    layers: int("layers", 1000),
    hidden: int("hidden", 1 << 20),
    ffn: int("ffn", 1 << 22),
    heads: int("heads", 4096),
    kvHeads: int("kvHeads", 4096),
    headDim: int("headDim", 1 << 14),
    vocab: int("vocab", 1 << 24),
    tiedEmbeddings: c.key("tiedEmbeddings").boolean(),
    contextLength: int("contextLength", 1 << 28),
    slidingWindow: c.key("slidingWindow").optNumber({ integer: true, min: 1 }),
    normsPerLayer: c.opt("normsPerLayer", (x) => x.number({ integer: true, min: 0, max: 16 })) ?? 2,
    fusedQkv: c.opt("fusedQkv", (x) => x.boolean()) ?? false,
    fusedGateUp: c.opt("fusedGateUp", (x) => x.boolean()) ?? false,
  };
  if (a.heads % a.kvHeads !== 0) {
    throw c.key("kvHeads").error(`heads (${a.heads}) must be a multiple of kvHeads`);
  }
  return a;
}

/** Read and check one model entry (a catalog item, or a `--model-spec` file). */
export function readModelSpec(c: JsonCursor): ModelSpec {
  c.object();
  const architecture = readArchitecture(c.key("architecture"));
  const computed = parameterCountFromArchitecture(architecture);
  const p = c.key("parameters");
  const count = p.opt("count", (x) => x.number({ integer: true, min: 1 })) ?? computed;
  if (Math.abs(count - computed) / computed > PARAMETER_COUNT_TOLERANCE) {
    throw p
      .key("count")
      .error(
        `stated parameter count differs from the architecture's (${computed}) by more than ${PARAMETER_COUNT_TOLERANCE * 100}%`,
        "check layers, hidden, ffn, heads, kvHeads, headDim, vocab and tiedEmbeddings, or omit parameters.count",
      );
  }
  const tok = c.key("tokenizer");
  const tokenizer = tok.isMissing
    ? { kind: "unknown", vocab: architecture.vocab, family: tokenizerFamilyForVocab(architecture.vocab) }
    : {
        kind: tok.key("kind").string(),
        vocab: tok.key("vocab").number({ integer: true, min: 1 }),
        family: tok.key("family").oneOf(TOKENIZER_FAMILIES),
      };
  return {
    id: c.key("id").string({ pattern: SLUG, hint: "use a lowercase slug such as my-model-3b" }),
    label: c.key("label").string(),
    checkpoint: c.key("checkpoint").optString(),
    ggufArchitecture: c.opt("ggufArchitecture", (x) => x.string()) ?? "llama",
    architecture,
    tokenizer,
    parameters: {
      nominalB: p.opt("nominalB", (x) => x.number({ exclusiveMin: 0 })) ?? Math.round(count / 1e7) / 100,
      printed: p.key("printed").optString(),
      count,
    },
    trainingTokensT: c.key("trainingTokensT").optNumber({ exclusiveMin: 0 }),
    paperProfile: c.opt("paperProfile", (pp) => ({
      runtime: pp.key("runtime").string(),
      tag: pp.key("tag").string(),
      quant: pp.key("quant").string(),
      fileSizeBytes: pp.key("fileSizeBytes").optNumber({ integer: true, min: 1 }),
      assumption: pp.key("assumption").string(),
    })),
  };
}

export function parseModelCatalog(text: string, file: string): ModelCatalog {
  const root = JsonCursor.root(parseJsonWithLines(text, file));
  readSchemaVersion(root);
  const items = root.key("models").array({ minLength: 1 });
  const models = items.map(readModelSpec);
  const seen = new Set<string>();
  models.forEach((m, i) => {
    if (seen.has(m.id)) throw (items[i] as JsonCursor).key("id").error(`duplicate model id "${m.id}"`);
    seen.add(m.id);
  });
  return { file, models };
}

/** Parse a user's `--model-spec` file: one model object (or `{"model": {...}}`). */
export function parseModelSpecFile(text: string, file: string): ModelSpec {
  const root = JsonCursor.root(parseJsonWithLines(text, file));
  const obj = root.object();
  return readModelSpec("model" in obj ? root.key("model") : root);
}

export const MODEL_CATALOG_PATH = join("data", "catalog", "models.json");

export function loadModelCatalog(root: string): ModelCatalog {
  const file = join(root, MODEL_CATALOG_PATH);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw notFoundError("model catalog not found", {
      file,
      cause: e,
      hint: "run from the project root or set SLM_ENERGY_ROOT",
    });
  }
  return parseModelCatalog(text, file);
}

export function findModel(catalog: ModelCatalog, id: string): ModelSpec {
  const m = catalog.models.find((x) => x.id === id);
  if (!m) {
    throw notFoundError(`unknown model "${id}"`, {
      file: catalog.file,
      hint: `known models: ${catalog.models.map((x) => x.id).join(", ")}; or describe a model with --model-spec FILE or --gguf FILE`,
    });
  }
  return m;
}

/** The paper profile's quantization of a model, or an error saying how to give one. */
export function paperQuant(model: ModelSpec): string {
  if (!model.paperProfile) {
    throw inputError(`model "${model.id}" has no paper-profile quantization`, {
      hint: "pass --quant (e.g. Q4_0, Q4_K_M, Q8_0)",
    });
  }
  return model.paperProfile.quant;
}
