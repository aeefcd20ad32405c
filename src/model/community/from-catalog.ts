import type { Backend } from "../../domain/ids.js";
import { findPowerMode, type DeviceSpec } from "../../catalog/devices.js";
import type { ModelSpec } from "../../catalog/models.js";
import { findFileType, type QuantCatalog } from "../../catalog/quantization.js";
import { boardPeaks } from "../../catalog/peaks.js";
import { hardwareClassOf } from "../../catalog/classes.js";
import { modelPhysics, type ModelPhysics } from "../physics.js";
import { inventoryFromArchitecture } from "../tensors.js";
import { gpuLayerShareOf, runtimeEraOf, threadShareOf, type CommunityCase } from "./case.js";
import type { PowerCase, PowerPhase } from "./power.js";

/** Where and with what a case ran, resolved against the catalogs (the pure half of case building). */
export interface ResolvedSetting {
  device: DeviceSpec;
  powerMode: string;
  backend: Backend;
  runtimeBackend: string;
  runtime: string;
  runtimeVersion: string | null;
  model: ModelSpec;
  quant: string;
}

export interface Measured {
  id: string;
  source: string;
  /** As printed: CPU threads, and llama.cpp's GPU layers (-ngl); null where not said. */
  threads: number | null;
  gpuLayers: string | null;
  promptTokens: number | null;
  prefillTokensPerS: number | null;
  genTokens: number | null;
  decodeTokensPerS: number | null;
}

/** A case from a resolved setting and what was measured (nothing measured: a query). */
export function caseOf(
  s: ResolvedSetting,
  m: Measured,
  quants: QuantCatalog,
  /** The model's physics when known otherwise (a GGUF header's tensors); default: from its architecture. */
  physics?: ModelPhysics,
  quantFamily?: string,
): CommunityCase {
  const spec = boardPeaks(s.device, s.backend, s.powerMode);
  // What `probe` measured on this board replaces the spec sheet's bandwidth, and its compute where
  // higher (a measured rate cannot exceed the true peak; an estimated peak can undershoot it).
  const probed = s.device.measured;
  const peaks =
    probed === null || probed === undefined
      ? spec
      : {
          ...spec,
          bandwidthGBps: probed.memoryBandwidthGBps,
          matmulGflops: Math.max(spec.matmulGflops, probed.computeGflops ?? 0),
        };
  const cls = hardwareClassOf(s.device, s.backend);
  return {
    id: m.id,
    board: s.device.id,
    powerMode: s.powerMode,
    backend: s.backend,
    runtimeBackend: s.runtimeBackend,
    classId: cls.id,
    classFamily: cls.family,
    runtime: s.runtime,
    runtimeEra: runtimeEraOf(s.runtime, s.runtimeVersion),
    source: m.source,
    model: s.model.id,
    quant: s.quant,
    quantFamily: quantFamily ?? findFileType(quants, s.quant).family,
    peaks: { bandwidthGBps: peaks.bandwidthGBps, fp32Gflops: peaks.fp32Gflops, matmulGflops: peaks.matmulGflops },
    int8Dot: s.backend === "cpu" ? s.device.cpu.int8DotProduct : null,
    physics:
      physics ?? modelPhysics(inventoryFromArchitecture(s.model.architecture, s.quant, quants), s.model.architecture),
    threadShare:
      s.backend === "cpu" ? threadShareOf(m.threads, findPowerMode(s.device, s.powerMode).cpuCoresOnline) : null,
    gpuLayerShare: s.backend === "gpu" ? gpuLayerShareOf(m.gpuLayers, s.model.architecture.layers) : null,
    promptTokens: m.promptTokens,
    prefillTokensPerS: m.prefillTokensPerS,
    genTokens: m.genTokens,
    decodeTokensPerS: m.decodeTokensPerS,
  };
}

/** The power envelope of a board's mode: its vendor maximum where the catalog has one, else its spec power. */
export function envelopeW(device: DeviceSpec, powerMode: string): number {
  const mode = findPowerMode(device, powerMode) as { maxPowerW?: number | null; specPowerW: number };
  return mode.maxPowerW ?? mode.specPowerW;
}

export function powerCaseOf(
  s: Pick<ResolvedSetting, "device" | "powerMode" | "backend" | "runtime">,
  id: string,
  source: string,
  reading: { powerW: number | null; kind: "avg" | "peak" | null; phase?: PowerPhase },
): PowerCase {
  const cls = hardwareClassOf(s.device, s.backend);
  return {
    id,
    board: s.device.id,
    powerMode: s.powerMode,
    backend: s.backend,
    classId: cls.id,
    classFamily: cls.family,
    source,
    runtime: s.runtime,
    envelopeW: envelopeW(s.device, s.powerMode),
    powerW: reading.powerW,
    kind: reading.kind,
    phase: reading.phase ?? "mixed",
  };
}

export const QUERY_RUNTIMES = ["llama.cpp", "ollama", "mlc"] as const;

/** The corpus backend a runtime uses on a board: cpu, or the GPU's own API (CUDA, Metal). */
export function runtimeBackendOf(device: DeviceSpec, backend: Backend): string {
  if (backend === "cpu") return "cpu";
  return hardwareClassOf(device, backend).family === "gpu:apple" ? "metal" : "cuda";
}
