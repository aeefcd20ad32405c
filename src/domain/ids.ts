/**
 * Canonical ids used everywhere: files, tables, CLI arguments and JSON outputs.
 * A *platform* is a device run with a backend; the Jetson Orin Nano appears in the study twice,
 * CPU-only and GPU-accelerated.
 */
export const DEVICE_IDS = ["raspberry-pi-5", "jetson-nano", "jetson-orin-nano"] as const;
export type DeviceId = (typeof DEVICE_IDS)[number];

export const BACKENDS = ["cpu", "gpu"] as const;
export type Backend = (typeof BACKENDS)[number];

export const MODEL_IDS = ["tinyllama-1.1b", "llama-3.2-1b", "gemma-2-2b", "phi-3-mini"] as const;
export type ModelId = (typeof MODEL_IDS)[number];

export const BENCHMARKS = ["mmlu", "hellaswag", "winogrande"] as const;
export type Benchmark = (typeof BENCHMARKS)[number];

export interface Platform {
  device: DeviceId;
  backend: Backend;
}

/** The four platforms of the study, in the order its tables print them. */
export const PAPER_PLATFORMS: readonly Platform[] = [
  { device: "raspberry-pi-5", backend: "cpu" },
  { device: "jetson-nano", backend: "cpu" },
  { device: "jetson-orin-nano", backend: "cpu" },
  { device: "jetson-orin-nano", backend: "gpu" },
];

/** `jetson-orin-nano/gpu` */
export const platformKey = (p: Platform): string => `${p.device}/${p.backend}`;

/** Human label as the paper prints it. */
export function platformLabel(p: Platform): string {
  const names: Record<DeviceId, string> = {
    "raspberry-pi-5": "Raspberry Pi 5",
    "jetson-nano": "Jetson Nano",
    "jetson-orin-nano": "Jetson Orin Nano",
  };
  return p.backend === "gpu" ? `${names[p.device]} (GPU)` : names[p.device];
}

export const MODEL_LABELS: Record<ModelId, string> = {
  "tinyllama-1.1b": "TinyLlama 1.1B",
  "llama-3.2-1b": "Llama 3.2 1B",
  "gemma-2-2b": "Gemma 2 2B",
  "phi-3-mini": "Phi-3 mini",
};

export const BENCHMARK_LABELS: Record<Benchmark, string> = {
  mmlu: "MMLU",
  hellaswag: "HellaSwag",
  winogrande: "Winogrande",
};

/**
 * Answer choices per item of each benchmark: MMLU has four options (A–D), HellaSwag four
 * endings, Winogrande two fillers.
 */
export const BENCHMARK_CHOICES: Record<Benchmark, number> = {
  mmlu: 4,
  hellaswag: 4,
  winogrande: 2,
};

export const isDeviceId = (s: string): s is DeviceId => (DEVICE_IDS as readonly string[]).includes(s);
export const isModelId = (s: string): s is ModelId => (MODEL_IDS as readonly string[]).includes(s);
export const isBenchmark = (s: string): s is Benchmark => (BENCHMARKS as readonly string[]).includes(s);
export const isBackend = (s: string): s is Backend => (BACKENDS as readonly string[]).includes(s);
