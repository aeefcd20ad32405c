/**
 * The file type a runtime runs when a corpus row names only a model: Ollama's default tags and
 * MLC's benchmark script. Each entry cites where the quantization is printed; a tag no source
 * read prints is absent, and its rows stay unresolved (say which, never guess).
 */

export interface DefaultQuant {
  quant: string;
  source: string;
  /** What the citation does not show directly (said in the resolution's note). */
  caveat: string | null;
}

/** Ollama library tags → the file type of the tag's GGUF. */
export const OLLAMA_DEFAULT_TAGS: Readonly<Record<string, DefaultQuant>> = {
  "llama3.2:1b": {
    quant: "Q8_0",
    source: "research/models-devices.md (Ollama default tags: llama3.2:1b Q8_0, 1,321,098,329 bytes)",
    caveat: null,
  },
  "gemma2:2b": {
    quant: "Q4_0",
    source: "research/models-devices.md (Ollama default tags: gemma2:2b Q4_0, 1,629,518,495 bytes)",
    caveat: null,
  },
  "llama3.2:3b": {
    quant: "Q4_K_M",
    source:
      "webnora/OE_Lemmatization d/llm/llm.md @ 6401bf85a9025401a472dc907f831d733fdc1c27: " +
      "ollama.com/library/llama3.2 'parameters 3.21B - quantization Q4_K_M 2.0GB'",
    caveat: "the library page's default model (3.21B) is taken to be the 3b tag",
  },
  "llama3.1:8b": {
    quant: "Q4_K_M",
    source:
      "webnora/OE_Lemmatization d/llm/llm.md @ 6401bf85a9025401a472dc907f831d733fdc1c27: " +
      "ollama.com/library/llama3.1 'parameters 8.03B - quantization Q4_K_M 4.9GB'",
    caveat: "the library page's default model (8.03B) is taken to be the 8b tag",
  },
  "gemma3:1b": {
    quant: "Q4_K_M",
    source: "attogram/ollama-bash-lib demos/show.md: ollama_show \"gemma3:1b\" prints 'quantization Q4_K_M'",
    caveat: null,
  },
  "deepseek-r1:7b": {
    quant: "Q4_K_M",
    source:
      "Ollama /api/tags output printed in https://wenku.csdn.net/answer/4fz5j1xej4 (2025-04-15): deepseek-r1:7b " +
      "'quantization_level': 'Q4_K_M', 'parameter_size': '7.6B', size 4683075271 bytes",
    caveat: null,
  },
  "deepseek-r1:14b": {
    quant: "Q4_K_M",
    source:
      "Ollama /api/tags output printed in https://wenku.csdn.net/answer/4fz5j1xej4 (2025-04-15): deepseek-r1:14b " +
      "'quantization_level': 'Q4_K_M', 'parameter_size': '14.8B', size 8988112040 bytes",
    caveat: null,
  },
  "gemma3:latest": {
    quant: "Q4_K_M",
    source:
      "Ollama's API reference example (docs.ollama.com/api-reference/show-model-details, copied in " +
      "roboalchemist/llm-code-docs @ 565e15b555262623fe3fb0935236b324af8df610): model gemma3, " +
      "'quantization_level: Q4_K_M'",
    caveat: null,
  },
  "deepseek-r1:1.5b": {
    quant: "Q4_K_M",
    source:
      "`ollama show deepseek-r1:1.5b` printed in https://chai2010.cn/llmgo-book/ch4-modelfile/readme.html " +
      "('quantization Q4_K_M', blob aabd4debf0c8); the same blob loads as 'file type = Q4_K - Medium', 1.04 GiB, " +
      "in kreier/jetson @ fd9602445dc0b2997da5bda731e69a886b59d3ce llama.cpp/CUDA/ollama.txt lines 36-65",
    caveat: null,
  },
};

/**
 * MLC: NVIDIA's jetson-containers benchmark script (packages/llm/mlc/benchmark.sh @
 * dd206bfe71f9ed35a02d9b9d9954bddb1b649602) defaults to QUANTIZATION=q4f16_ft (line 25) and runs
 * Gemma 2 with q4f16_1 (lines 126-127); the corpus's MLC rows cite that script.
 */
export const MLC_BENCHMARK_SCRIPT =
  "dusty-nv/jetson-containers packages/llm/mlc/benchmark.sh @ dd206bfe71f9ed35a02d9b9d9954bddb1b649602";

export function mlcDefaultQuant(modelId: string): DefaultQuant {
  if (modelId.startsWith("gemma-2-")) {
    return {
      quant: "MLC_Q4F16_1",
      source: `${MLC_BENCHMARK_SCRIPT} lines 126-127 (QUANTIZATION="q4f16_1" for Gemma 2)`,
      caveat: null,
    };
  }
  return {
    quant: "MLC_Q4F16_FT",
    source: `${MLC_BENCHMARK_SCRIPT} line 25 (default QUANTIZATION=q4f16_ft)`,
    caveat: null,
  };
}
