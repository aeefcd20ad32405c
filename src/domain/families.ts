/**
 * Families the model groups models and quantizations into (the catalogs name them; calibration
 * fits one parameter per family).
 */

/**
 * Tokenizer family: the text → token ratio depends on it. `llama2-32k` (TinyLlama, Phi-3) and
 * `large-vocab` (Llama 3's 128k, Gemma's 256k) are the two families the study's data separates.
 */
export const TOKENIZER_FAMILIES = ["llama2-32k", "large-vocab"] as const;
export type TokenizerFamily = (typeof TOKENIZER_FAMILIES)[number];

/** The family of a tokenizer with `vocab` entries (100k and more is a large vocabulary). */
export function tokenizerFamilyForVocab(vocab: number): TokenizerFamily {
  return vocab >= 100_000 ? "large-vocab" : "llama2-32k";
}

/**
 * Quantization families that share dequantization cost (calibration fits one efficiency each):
 * llama.cpp's float, Q8_0, legacy 32-blocks, K-quants, i-quants (IQ3_S, IQ4_NL …) and MXFP4, and
 * MLC's int4 group/channel formats.
 */
export const QUANT_FAMILIES = [
  "float",
  "q8",
  "q4-legacy",
  "q5-legacy",
  "k-quant",
  "i-quant",
  "mxfp4",
  "mlc-int4",
] as const;
export type QuantFamily = (typeof QUANT_FAMILIES)[number];
