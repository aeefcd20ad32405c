import { quantileSorted } from "simple-statistics";
import type { Calibration } from "./calibration.js";
import { paramIndex, type ParamKey, type PlatformParamKind, type PowerParamKind } from "./parameters.js";

/** Percentile of a list (linear interpolation). */
const pct = (xs: number[], q: number): number =>
  quantileSorted(
    [...xs].sort((a, b) => a - b),
    q,
  );

const f3 = (x: number) => x.toPrecision(3);
const f = (x: number, d = 3) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(d));

/** " [lo, hi]": the 90% bootstrap interval of a parameter, or "" when it was not fitted. */
function intervalOf(cal: Calibration, key: ParamKey): string {
  const i = paramIndex(cal.parameters, key);
  if (i < 0) return "";
  const v = cal.replicates.map((r) => r[i] as number);
  return v.length ? ` [${f(pct(v, 0.05))}, ${f(pct(v, 0.95))}]` : "";
}

function platformLines(cal: Calibration): string[] {
  const lines: string[] = [];
  for (const [platform, p] of Object.entries(cal.platforms)) {
    const ci = (kind: PlatformParamKind | PowerParamKind) => intervalOf(cal, { kind, platform });
    const peak = `peak ${p.hardware.peakComputeGflops.toFixed(0)} GFLOP/s FP32, ${p.hardware.peakBandwidthGBps} GB/s`;
    lines.push(`${platform}  (${peak})`);
    lines.push(
      `  η compute ${f(p.params.etaCompute)}${ci("etaCompute")}   η memory ${f(p.params.etaMemory)}${ci("etaMemory")}` +
        `   overhead ${f(p.params.overheadS)} s${ci("overheadS")}`,
    );
    const idle = p.hardware.idlePowerW;
    const active =
      idle === null
        ? ""
        : `   (active above ${idle} W idle: prefill ${f(p.params.prefillPowerW - idle)} W, ` +
          `decode ${f(p.params.decodePowerW - idle)} W)`;
    lines.push(
      `  power prefill ${f(p.params.prefillPowerW)} W${ci("prefillPowerW")}` +
        `   decode ${f(p.params.decodePowerW)} W${ci("decodePowerW")}${active}`,
    );
  }
  return lines;
}

function workloadLines(cal: Calibration): string[] {
  const lines = ["workload per inference:"];
  for (const w of cal.workloads) {
    const benchmark = w.benchmark;
    const gen = Object.entries(w.genTokensByModel)
      .map(([model, g]) => `${model} ${f(g)}${intervalOf(cal, { kind: "genTokens", benchmark, model })}`)
      .join(", ");
    const promptCi = w.promptTokensFitted ? intervalOf(cal, { kind: "promptTokens", benchmark }) : "";
    lines.push(
      `  ${benchmark.padEnd(11)} ${w.scoring.padEnd(13)} prompt ${f(w.promptTokens["large-vocab"])} (large-vocab)` +
        `${promptCi} / ${f(w.promptTokens["llama2-32k"])} (llama2-32k)` +
        `${gen ? `; generated: ${gen}` : "; nothing generated"}`,
    );
  }
  return lines;
}

/** A one-screen text summary of a calibration: fit, platform parameters with 90% intervals, workloads. */
export function calibrationSummary(cal: Calibration): string {
  const lines: string[] = [];
  const { latency, energy } = cal.fit;
  lines.push(
    `calibration "${cal.name}": ${cal.source.observations} cells from ${cal.source.kind}; ` +
      `${cal.replicates.length} bootstrap replicates; 90% intervals in brackets`,
  );
  lines.push(
    `in-sample fit: latency MAPE ${latency.mapePct.toFixed(1)}% (median ${latency.medianApePct.toFixed(1)}%), ` +
      `energy MAPE ${energy.mapePct.toFixed(1)}% (median ${energy.medianApePct.toFixed(1)}%)`,
  );
  lines.push("", ...platformLines(cal));
  const qf = Object.entries(cal.quantFactors ?? {});
  if (qf.length) {
    const factors = qf.map(
      ([quantFamily, v]) => `${quantFamily} ${f3(v)}${intervalOf(cal, { kind: "quantFactor", quantFamily })}`,
    );
    lines.push("");
    lines.push(
      `compute-efficiency factor by quantization family (relative to the most measured one): ${factors.join(", ")}`,
    );
  }
  lines.push("", ...workloadLines(cal));
  return lines.join("\n");
}
