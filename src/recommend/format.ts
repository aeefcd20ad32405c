import { BENCHMARK_LABELS, MODEL_LABELS, isDeviceId, isModelId, platformLabel, type Backend } from "../domain/ids.js";
import type { Recommendation, RecommendResult } from "./types.js";
import { gridIntensityText, type GridIntensity } from "../catalog/grid-intensity.js";
import { co2eG } from "../metrics/co2e.js";

const sig = (x: number, d = 3): string =>
  Number.isFinite(x)
    ? Math.abs(x) !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6)
      ? x.toExponential(d - 1)
      : String(Number(x.toPrecision(d)))
    : String(x);

function platformText(device: string, backend: Backend, powerMode: string | null): string {
  let base = `${device}/${backend}`;
  if (isDeviceId(device)) {
    base = platformLabel({ device, backend });
    // The Orin Nano and the Jetson Nano have both backends: say which.
    if (backend === "cpu" && device !== "raspberry-pi-5") base += " (CPU)";
  }
  return powerMode ? `${base} @${powerMode}` : base;
}

const modelText = (m: string, quant: string | null): string =>
  `${isModelId(m) ? MODEL_LABELS[m] : m}${quant ? ` ${quant}` : ""}`;

function pad(rows: string[][]): string[] {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(w[i]!))
      .join("  ")
      .trimEnd(),
  );
}

/** One row of the table; with a grid intensity, the CO2e per inference (with its interval when predicted). */
function recommendationRow(x: Recommendation, grid: GridIntensity | null): string[] {
  const co2e = (energyWh: number) => sig(co2eG(energyWh, grid?.intensityGCo2ePerKwh ?? 0));
  const co2eCell =
    x.source === "predicted"
      ? `${co2e(x.energyPerInferenceWh)} [${co2e(x.energyLoWh)}, ${co2e(x.energyHiWh)}]`
      : co2e(x.energyPerInferenceWh);
  return [
    String(x.rank),
    modelText(x.model, x.quant),
    platformText(x.device, x.backend, x.powerMode),
    x.source,
    `${sig(x.accuracyPct)} [${sig(x.accuracyLoPct)}, ${sig(x.accuracyHiPct)}]`,
    x.source === "predicted"
      ? `${sig(x.energyPerInferenceWh)} [${sig(x.energyLoWh)}, ${sig(x.energyHiWh)}]`
      : sig(x.energyPerInferenceWh, 4),
    x.source === "predicted" ? `${sig(x.latencyS)} [${sig(x.latencyLoS)}, ${sig(x.latencyHiS)}]` : sig(x.latencyS, 4),
    ...(grid === null ? [] : [co2eCell]),
    x.certainty,
    x.pareto ? "pareto" : "",
  ];
}

/** The human table, one block per benchmark; with `grid`, a CO2e column at that intensity. */
export function recommendText(r: RecommendResult, grid: GridIntensity | null = null): string {
  const k = r.constraints;
  const out: string[] = [];
  out.push(
    `Constraints: energy ≤ ${sig(k.maxEnergyWhPerInference)} Wh per inference, accuracy ≥ ${sig(k.minAccuracyPct)} %` +
      (k.maxLatencyS !== undefined ? `, latency ≤ ${sig(k.maxLatencyS)} s` : "") +
      `. Considered ${r.considered.measured} measured and ${r.considered.predicted} predicted ` +
      "(model, platform, benchmark) choices.",
  );
  const benchmarks = [
    ...new Set([...r.recommendations.map((x) => x.benchmark), ...r.nearMisses.map((n) => n.benchmark)]),
  ];
  for (const b of benchmarks) {
    out.push("");
    const recs = r.recommendations.filter((x) => x.benchmark === b);
    out.push(`${BENCHMARK_LABELS[b]}: ${recs.length} feasible`);
    if (recs.length > 0) {
      const head = ["#", "model", "platform", "source", "accuracy % [95 %]", "energy Wh/inference", "latency s"];
      const rows = [[...head, ...(grid === null ? [] : ["CO2e g/inference"]), "", ""]];
      for (const x of recs) rows.push(recommendationRow(x, grid));
      out.push(...pad(rows).map((l) => `  ${l}`));
    }
    for (const n of r.nearMisses.filter((m) => m.benchmark === b)) {
      const c = n.cheapestReachingAccuracy;
      const m = n.mostAccurateWithinBudget;
      out.push(
        c
          ? `  Nothing fits. Reaching ${sig(k.minAccuracyPct)} % takes at least ${sig(c.energyPerInferenceWh)} Wh ` +
              `per inference (${modelText(c.model, c.quant)} on ${platformText(c.device, c.backend, c.powerMode)}, ` +
              `${c.source}).`
          : `  Nothing fits. No candidate reaches ${sig(k.minAccuracyPct)} %` +
              `${k.maxLatencyS !== undefined ? ` within ${sig(k.maxLatencyS)} s` : ""}.`,
      );
      if (m)
        out.push(
          `  Within ${sig(k.maxEnergyWhPerInference)} Wh the most accurate is ${modelText(m.model, m.quant)} ` +
            `on ${platformText(m.device, m.backend, m.powerMode)} at ${sig(m.accuracyPct)} % (${m.source}).`,
        );
    }
  }
  out.push("");
  out.push(
    "sure: the whole interval (accuracy's Wilson 95 %, the cost's rounding or prediction interval) meets the limits; " +
      "likely: only the estimate does.",
  );
  out.push("pareto: no other feasible choice is both more accurate and cheaper in energy.");
  if (grid !== null) out.push(`CO2e per inference = energy per inference × ${gridIntensityText(grid)}.`);
  for (const n of r.notes) out.push(`Note: ${n}`);
  return out.join("\n") + "\n";
}
