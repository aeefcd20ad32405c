/**
 * The quantization names corpus sources print, mapped to the quantization catalog's file types.
 * llama.cpp prints a file type with `llama_model_ftype_name` ("Q4_K - Medium", older builds
 * "mostly Q4_K - Medium", i-quants with their bits per weight: "IQ3_S mix - 3.66 bpw"); model file
 * names and Ollama tags carry the short names ("q4_k_m", "Q5_k_m"). Pure data and a lookup.
 */

/** llama_model_ftype_name's long names (src/llama-model-loader.cpp, ggml-org/llama.cpp) → file type. */
const LONG_NAMES: Record<string, string> = {
  "ALL F32": "F32",
  F32: "F32",
  F16: "F16",
  BF16: "BF16",
  Q4_0: "Q4_0",
  Q4_1: "Q4_1",
  Q5_0: "Q5_0",
  Q5_1: "Q5_1",
  Q8_0: "Q8_0",
  "Q2_K - MEDIUM": "Q2_K",
  "Q3_K - SMALL": "Q3_K_S",
  "Q3_K - MEDIUM": "Q3_K_M",
  "Q3_K - LARGE": "Q3_K_L",
  "Q4_K - SMALL": "Q4_K_S",
  "Q4_K - MEDIUM": "Q4_K_M",
  "Q5_K - SMALL": "Q5_K_S",
  "Q5_K - MEDIUM": "Q5_K_M",
  Q6_K: "Q6_K",
  "IQ3_XS - 3.3 BPW": "IQ3_XS",
  "IQ3_S MIX - 3.66 BPW": "IQ3_M",
  "IQ4_NL - 4.5 BPW": "IQ4_NL",
  "IQ4_XS - 4.25 BPW": "IQ4_XS",
  "MXFP4 MOE": "MXFP4_MOE",
};

/**
 * The file type a printed quantization names, or null when it names none this project can size
 * (e.g. "4-bit", which fits several file types, or a custom mixture's file name).
 */
export function fileTypeForSpelling(printed: string, known: readonly string[]): string | null {
  const s = printed
    .trim()
    .toUpperCase()
    .replace(/^MOSTLY\s+/, "")
    .replace(/\s+/g, " ");
  const long = LONG_NAMES[s];
  if (long !== undefined) return long;
  return known.includes(s) ? s : null;
}
