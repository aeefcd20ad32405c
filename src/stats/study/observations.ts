import { runAudit } from "../../audit/audit.js";
import type { AuditResult } from "../../audit/types.js";
import {
  BENCHMARKS,
  PAPER_PLATFORMS,
  platformKey,
  type Backend,
  type Benchmark,
  type DeviceId,
  type ModelId,
} from "../../domain/ids.js";
import { inputError } from "../../errors.js";
import { edpJs } from "../../metrics/edp.js";
import { whToJ } from "../../metrics/units.js";
import { inferenceCounts } from "../../paper/inferences.js";
import { parsePrinted } from "../../paper/printed-number.js";
import type { PaperCell, PaperData } from "../../paper/types.js";
import type { Interval } from "../../util/interval.js";
import { edpPerInferenceRangeJs, energyPerInferenceRangeWh, printedInterval } from "../rounding.js";
import type { Estimate } from "../types.js";
import { correctCount, wilsonInterval } from "../wilson.js";

/**
 * One measured cell of the study — a (platform, model, benchmark) run — from its primary published
 * numbers (accuracy, total energy, latency), with their uncertainty: a Wilson interval for the
 * accuracy at the run's n, and the rounding interval of every printed or derived quantity.
 */
export interface StudyObservation {
  device: DeviceId;
  backend: Backend;
  /** `device/backend`, e.g. `jetson-orin-nano/gpu`. */
  platform: string;
  model: ModelId;
  benchmark: Benchmark;
  /** Inferences of the run (from the tables: MMLU 1000, HellaSwag 400, Winogrande 500). */
  inferences: number;
  accuracyPct: number;
  /** Whole number of correct answers the printed accuracy stands for. */
  correct: number;
  /** Wilson 95 % interval of the accuracy, in %. */
  accuracyCi: Estimate;
  /** Total energy of the run as printed, and its rounding interval. */
  energyWh: number;
  energyWhRange: Interval;
  /** Energy per inference = energyWh / inferences, and its rounding interval. */
  energyPerInferenceWh: number;
  energyPerInferenceWhRange: Interval;
  latencyS: number;
  latencyRangeS: Interval;
  /** Energy-delay product of one inference (J·s), recomputed from the primaries. */
  edpPerInferenceJs: number;
  edpPerInferenceRangeJs: Interval;
  /** Published derived cells of this run the audit finds discrepant: `metric: verdict`. */
  discrepantPublished: string[];
}

const cellKey = (device: string, backend: string, model: string, benchmark: string | null, metric: string): string =>
  `${device}|${backend}|${model}|${benchmark}|${metric}`;

/** What the observations need of an audit: each audited cell's identity and verdict. */
export interface AuditVerdicts {
  cells: readonly {
    table: string;
    device: string;
    backend: string;
    model: string;
    benchmark: string | null;
    metric: string;
    verdict: string;
  }[];
}

/**
 * The study's measured cells from the published consolidated table, in the paper's order
 * (platform, then model as printed, then benchmark). Pass an audit to avoid recomputing it, or
 * null to go without its verdicts (`discrepantPublished` is then empty).
 */
export function studyObservations(
  paper: PaperData | { cells: readonly PaperCell[] },
  audit?: AuditResult | AuditVerdicts | null,
): StudyObservation[] {
  if (audit === undefined) audit = "models" in paper ? runAudit(paper) : null;
  const n = inferenceCounts(paper.cells);
  const cells = new Map<string, PaperCell>();
  for (const c of paper.cells)
    if (c.table === "consolidated") cells.set(cellKey(c.device, c.backend, c.model, c.benchmark, c.metric), c);
  const discrepant = new Map<string, string[]>();
  for (const a of audit?.cells ?? []) {
    if (a.verdict === "consistent" || a.benchmark === null) continue;
    const k = cellKey(a.device, a.backend, a.model, a.benchmark, "");
    if (!discrepant.has(k)) discrepant.set(k, []);
    discrepant.get(k)!.push(`${a.table}.${a.metric}: ${a.verdict}`);
  }
  const models = [...new Set(paper.cells.filter((c) => c.table === "consolidated").map((c) => c.model))];
  const out: StudyObservation[] = [];
  for (const p of PAPER_PLATFORMS) {
    for (const model of models) {
      for (const benchmark of BENCHMARKS) {
        const get = (metric: string): PaperCell | undefined =>
          cells.get(cellKey(p.device, p.backend, model, benchmark, metric));
        const acc = get("accuracy_pct");
        const e = get("energy_wh");
        const l = get("latency_s");
        if (!acc || !e || !l) continue;
        const inferences = n[benchmark];
        const halfUlp = parsePrinted(acc.printed).halfUlp;
        let correct: number;
        try {
          correct = correctCount(acc.value, inferences, halfUlp);
        } catch (err) {
          throw inputError(`accuracy ${acc.printed} % is no whole number of correct answers out of ${inferences}`, {
            file: acc.source.file,
            line: acc.source.csvLine,
            field: `accuracy_pct.${benchmark}`,
            text: acc.printed,
            hint: "check the transcription against the slides; the inference count comes from the tables",
            cause: err,
          });
        }
        const w = wilsonInterval(correct, inferences);
        const energyWhRange = printedInterval(e.printed);
        const latencyRangeS = printedInterval(l.printed);
        const epiRange = energyPerInferenceRangeWh(energyWhRange, inferences);
        const epi = e.value / inferences;
        out.push({
          device: p.device,
          backend: p.backend,
          platform: platformKey(p),
          model,
          benchmark,
          inferences,
          accuracyPct: acc.value,
          correct,
          accuracyCi: { ...w, estimate: w.estimate * 100, lo: w.lo * 100, hi: w.hi * 100 },
          energyWh: e.value,
          energyWhRange,
          energyPerInferenceWh: epi,
          energyPerInferenceWhRange: epiRange,
          latencyS: l.value,
          latencyRangeS,
          edpPerInferenceJs: edpJs(whToJ(epi), l.value),
          edpPerInferenceRangeJs: edpPerInferenceRangeJs(epiRange, latencyRangeS),
          discrepantPublished: discrepant.get(cellKey(p.device, p.backend, model, benchmark, "")) ?? [],
        });
      }
    }
  }
  return out;
}
