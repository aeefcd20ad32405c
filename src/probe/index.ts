/** Probing this machine (bandwidth, compute) and the arithmetic of the bandwidth sweep of synthetic models. */
export { measureBandwidth, measureBandwidthPoint, effectiveDramGBps, DEFAULT_BANDWIDTH_SIZES } from "./bandwidth.js";
export type { BandwidthMethod, BandwidthPoint, BandwidthSweepOptions } from "./bandwidth.js";
export { describeMachine, fp32FlopsPerCycleEstimate, hasInt8Dot } from "./machine.js";
export type { MachineInfo, HostFiles, HostOs } from "./machine.js";
export { buildDeviceSpec, ESTIMATED_W_PER_CPU } from "./device-spec.js";
export type { DeviceSpecInputs } from "./device-spec.js";
export { fitPowerLaw, fitEffectiveBandwidth, bandwidthBoundTokensPerS, predictionErrorPct } from "./fit.js";
export type { RatePoint, PowerLawFit } from "./fit.js";
export { ggufForwardCost, ggufPrefillFlops } from "./compute.js";
export type { GgufForwardCost, ComputePoint } from "./compute.js";
export { probeResult, ASSUMED_LLC_BYTES } from "./probe.js";
export type { ProbeResult, ProbeOptions } from "./probe.js";
export { summarizeSweep, sweepPoint, medianPromptTokens } from "./sweep.js";
export type { SweepPoint, SweepResult, SweepInference, SweepPointInputs, ModelPrediction } from "./sweep.js";
export { machinePredictor } from "./model-prediction.js";
export type { MachinePredictor } from "./model-prediction.js";
