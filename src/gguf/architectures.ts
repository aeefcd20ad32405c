/**
 * Synthetic specs shaped like the catalog's models, for `gguf synth --like <model> --scale s`.
 * The architecture comes from the model catalog (`data/catalog/models.json`).
 *
 * `--scale s` keeps the layer count, the head counts and the model's proportions, and multiplies
 * every width (hidden, head width, FFN, vocabulary) by √s, so the parameter count scales by ≈ s.
 * Widths are rounded to what ggml needs (multiples of 32, even head widths). The result is a
 * llama-architecture file of that shape: memory traffic per token matches a model of that size;
 * architecture-specific compute (Gemma's soft-capping and extra norms, Phi-3's fused QKV) is not
 * modelled.
 */
import { findModel, type Architecture } from "../catalog/models.js";
import { loadModelCatalog } from "../io/catalog/models.js";
import { usageError } from "../errors.js";
import type { SyntheticModelSpec } from "./spec.js";
import type { WritableQuant } from "./types.js";

/** The architecture of a catalog model. */
export function catalogArchitecture(root: string, id: string): Architecture {
  return findModel(loadModelCatalog(root), id).architecture;
}

const roundTo = (x: number, m: number): number => Math.max(m, Math.round(x / m) * m);

/** The synthetic spec of an architecture scaled to ≈ `scale` × its parameters. */
export function scaledSpec(shape: Architecture, scale: number, quant: WritableQuant, name: string): SyntheticModelSpec {
  if (!(scale > 0 && scale <= 1)) throw usageError(`the scale must be in (0, 1], got ${scale}`);
  const w = Math.sqrt(scale);
  // Head width: even, and heads × width a multiple of 32.
  const step = lcm(2, 32 / gcd(32, shape.heads));
  const headDim = scale === 1 ? shape.headDim : roundTo(shape.headDim * w, step);
  const hidden = shape.hidden === shape.heads * shape.headDim ? shape.heads * headDim : roundTo(shape.hidden * w, 32);
  const spec: SyntheticModelSpec = {
    name,
    layers: shape.layers,
    hidden,
    ffn: roundTo(shape.ffn * w, 32),
    heads: shape.heads,
    kvHeads: shape.kvHeads,
    vocab: Math.max(512, Math.round(shape.vocab * w)),
    tiedEmbeddings: shape.tiedEmbeddings,
    quant,
    contextLength: Math.min(shape.contextLength, 4096),
  };
  if (headDim !== hidden / shape.heads) spec.headDim = headDim;
  return spec;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
const lcm = (a: number, b: number): number => (a / gcd(a, b)) * b;
