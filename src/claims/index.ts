/** The paper's claims as checkable statements, evaluated against its data with uncertainty. */
export * from "./types.js";
export * from "./evaluate.js";
export * from "./report.js";
export * from "./method.js";
export { bestAccuracyPerEnergy } from "./checks/best-accuracy-per-energy.js";
export { bestEdpPlatform } from "./checks/best-edp-platform.js";
export { gpuSpeedup } from "./checks/gpu-speedup.js";
export { hardwareFactors } from "./checks/hardware-factors.js";
export { phi3Cost } from "./checks/phi3-cost.js";
export { phi3Headline } from "./checks/phi3-headline.js";
export { thirtyThreeTimes } from "./checks/thirty-three-times.js";
export { tokensPerWhChampion } from "./checks/tokens-per-wh-champion.js";
export { worstEdp } from "./checks/worst-edp.js";
