/** Inference runtimes whose logs the simulator writes, by id. */
import { requestError } from "../errors.js";
import { collectorRuntime } from "./collector.js";
import { llamaBenchRuntime } from "./llama-bench.js";
import { llamaCppRuntime } from "./llama-cpp.js";
import { ollamaRuntime } from "./ollama.js";
import { RUNTIME_IDS, type RuntimeId, type RuntimeSpec } from "./types.js";

export * from "./types.js";
export { writeLlamaBench } from "./llama-bench.js";

export const RUNTIMES: Record<RuntimeId, RuntimeSpec> = {
  "llama.cpp": llamaCppRuntime,
  ollama: ollamaRuntime,
  "llama-bench": llamaBenchRuntime,
  collector: collectorRuntime,
};

export function findRuntime(id: string): RuntimeSpec {
  if (!(RUNTIME_IDS as readonly string[]).includes(id))
    throw requestError("runtime", id, "unknown runtime", `use one of ${RUNTIME_IDS.join(", ")}`);
  return RUNTIMES[id as RuntimeId];
}
