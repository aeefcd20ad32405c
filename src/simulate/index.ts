/** The device simulator: synthetic raw runs in the real formats, with their ground truth. */
export * from "./trace.js";
export * from "./workload.js";
export * from "./schedule.js";
export * from "./tolerance.js";
export { DAMAGE_KINDS, CLOCK_JUMP_S, parseDamage, type DamageKind, type DamageRecord } from "./damage.js";
export * from "./meters/index.js";
export * from "./runtimes/index.js";
export * from "./simulate.js";
export * from "./vs-truth.js";
export * from "./study.js";
export * from "./study-report.js";
export * from "./model-workload.js";
