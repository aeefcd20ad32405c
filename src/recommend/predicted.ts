import { isPaperDevice, type DeviceCatalog } from "../catalog/devices.js";
import { paperQuant, type ModelCatalog } from "../catalog/models.js";
import { findFileType, type QuantCatalog } from "../catalog/quantization.js";
import { BENCHMARKS, isBackend, type Backend, type Benchmark } from "../domain/ids.js";
import type { Calibration } from "../model/calibration.js";
import { hardwareOf, type Hardware } from "../model/hardware.js";
import { predictInference, type PredictReport } from "../model/predict.js";
import { inventoryFromArchitecture } from "../model/tensors.js";
import type { StudyObservation } from "../stats/study/observations.js";
import { wilsonInterval } from "../stats/wilson.js";
import { pooledAccuracy } from "./measured.js";
import type { Candidate } from "./types.js";

export interface PredictedCandidates {
  candidates: Candidate[];
  /** Choices left out, with why (does not fit in RAM, no GPU in that mode, prediction failed). */
  excluded: string[];
}

/** One predicted candidate from a prediction report and the model's pooled measured accuracy. */
function candidateOf(
  report: PredictReport,
  pooled: { correct: number; inferences: number },
  where: { device: string; backend: Backend; powerMode: string; model: string; quant: string; benchmark: Benchmark },
  calibrationName: string,
): Candidate {
  const w = wilsonInterval(pooled.correct, pooled.inferences);
  const level = Math.round(report.interval.level * 100);
  const borrowed = [...new Set(report.transfers.map((t) => `${t.parameter} from ${t.from}`))].join(", ");
  return {
    source: "predicted",
    ...where,
    accuracyPct: w.estimate * 100,
    accuracyLoPct: w.lo * 100,
    accuracyHiPct: w.hi * 100,
    accuracyBasis:
      `measured for ${where.model} on the study's platforms, pooled: ` +
      `${pooled.correct}/${pooled.inferences} correct (Wilson 95 %)`,
    energyPerInferenceWh: report.energyWh,
    energyLoWh: report.interval.low.energyWh,
    energyHiWh: report.interval.high.energyWh,
    latencyS: report.latencyS,
    latencyLoS: report.interval.low.latencyS,
    latencyHiS: report.interval.high.latencyS,
    costBasis: `calibrated model "${calibrationName}" (${level} % prediction interval)`,
    notes: [...report.warnings, ...(report.transfers.length > 0 ? [`uncalibrated platform: ${borrowed}`] : [])],
  };
}

/**
 * The platforms a candidate can run on: every backend and power mode of every device, in catalog
 * order; one without a usable backend is recorded in `excluded` when the iteration reaches it.
 */
function* platformsOf(devices: DeviceCatalog, excluded: string[]) {
  // The paper's boards only: the calibrated model transfers the other catalog boards' efficiencies
  // from strangers, which is not good enough to rank them beside measured choices.
  for (const d of devices.devices.filter(isPaperDevice)) {
    const backends: Backend[] = (["cpu", "gpu"] as const).filter(
      (b) => isBackend(b) && (b === "cpu" || Boolean(d.gpu)),
    );
    for (const backend of backends) {
      for (const mode of d.powerModes) {
        let hardware: Hardware;
        try {
          hardware = hardwareOf(d, backend, mode.id);
        } catch (e) {
          excluded.push(`${d.id}/${backend} @${mode.id}: ${(e as Error).message}`);
          continue;
        }
        yield { device: d, backend, powerMode: mode.id, hardware };
      }
    }
  }
}

/**
 * Candidates the study did not measure, from the calibrated model: every power mode and backend of
 * the paper's catalog devices that the calibration has not itself fitted, for each paper model in its
 * paper-profile quantization. Their accuracy is the model's measured accuracy on that benchmark
 * pooled over the study's platforms (same weights and items: the board does not change answers);
 * latency and energy per inference are the model's predictions with its prediction interval.
 * Choices whose weights and KV cache do not fit the board's RAM are excluded, not ranked.
 */
export function predictedCandidates(
  calibration: Calibration,
  devices: DeviceCatalog,
  models: ModelCatalog,
  quants: QuantCatalog,
  observations: readonly StudyObservation[],
  benchmarks: readonly Benchmark[] = BENCHMARKS,
): PredictedCandidates {
  const candidates: Candidate[] = [];
  const excluded: string[] = [];
  const calibrated = new Set(Object.keys(calibration.platforms));
  const calibratedBenchmarks = new Set(calibration.workloads.map((w) => w.benchmark));
  for (const { device: d, backend, powerMode, hardware } of platformsOf(devices, excluded)) {
    if (calibrated.has(hardware.id)) continue;
    for (const m of models.models) {
      if (!m.paperProfile) continue;
      const quant = paperQuant(m);
      const ft = findFileType(quants, quant);
      const inventory = inventoryFromArchitecture(m.architecture, quant, quants);
      for (const b of benchmarks) {
        if (!calibratedBenchmarks.has(b)) continue;
        const pooled = pooledAccuracy(observations, m.id, b);
        if (!pooled) continue;
        let report: PredictReport;
        try {
          const workload = { benchmark: b };
          report = predictInference({
            calibration,
            hardware,
            model: m,
            inventory,
            quant,
            quantFamily: ft.family,
            workload,
          });
        } catch (e) {
          excluded.push(`${m.id} ${quant} on ${hardware.id}, ${b}: ${(e as Error).message}`);
          continue;
        }
        if (!report.memory.fits) {
          const { requiredGib, availableGib } = report.memory;
          excluded.push(
            `${m.id} ${quant} on ${hardware.id}: needs ${requiredGib.toFixed(2)} GiB, ` +
              `${availableGib.toFixed(2)} GiB available`,
          );
          continue;
        }
        const where = { device: d.id, backend, powerMode, model: m.id, quant, benchmark: b };
        candidates.push(candidateOf(report, pooled, where, calibration.name));
      }
    }
  }
  return { candidates, excluded };
}
