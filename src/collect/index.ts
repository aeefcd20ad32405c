/**
 * Measuring this machine, the pure part: prompts, the sensor and engine interfaces, the sampling
 * loop and log lines, the run's records. The run itself is `pipeline/collect/run.ts`; the sensors
 * `io/sensors/`; the node-llama-cpp engine `io/llama/engine.ts`.
 */
export { parsePromptsJsonl } from "./prompts.js";
export type { PromptItem } from "./prompts.js";
export { benchmarkLikePrompts } from "./benchmark-like.js";
export { SENSOR_KINDS, isSensorKind } from "./sensors.js";
export type {
  PowerSensor,
  SensorKind,
  SensorCheck,
  SensorDetection,
  SensorChannel,
  SamplerHandle,
  SensorProbe,
  LogSink,
} from "./sensors.js";
export type { InferenceEngine, InferenceTiming, EngineInfo, LlamaEngineOptions } from "./engine.js";
export { INFERENCE_FILE, isSensorChoice } from "./collect.js";
export type { CollectOptions, CollectSummary, PredictedEnergy, RunStatus, SensorChoice } from "./collect.js";
export { nowEpochS } from "./clock.js";
