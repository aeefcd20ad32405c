/** Measuring this machine: prompts, power sensors, the node-llama-cpp engine, run bundles. */
export { parsePromptsJsonl } from "./prompts.js";
export type { PromptItem } from "./prompts.js";
export { benchmarkLikePrompts } from "./benchmark-like.js";
export { formatProgress, formatDuration, ProgressBar } from "./progress.js";
export { detectPowerSensors, SENSOR_KINDS } from "./sensors.js";
export type {
  PowerSensor,
  SensorKind,
  SensorCheck,
  SensorDetection,
  SensorChannel,
  SamplerHandle,
  DetectOptions,
} from "./sensors.js";
export type { InferenceEngine, InferenceTiming, EngineInfo, LlamaEngineOptions } from "./engine.js";
export { BundleWriter, INFERENCE_FILE, RUN_FILE, MANIFEST_FILE } from "./bundle-writer.js";
export { collectRun } from "./collect.js";
export type { CollectOptions, CollectSummary, RunStatus, SensorChoice } from "./collect.js";
export { nowEpochS } from "./clock.js";

/** Open the node-llama-cpp engine (loads node-llama-cpp on first call, never at import). */
export async function openLlamaEngine(
  o: import("./engine.js").LlamaEngineOptions,
): Promise<import("./engine.js").InferenceEngine> {
  return (await import("./engine.js")).openLlamaEngine(o);
}
