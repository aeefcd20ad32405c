import type { Calibration } from "./calibration.js";

/** Percentile of a list (linear interpolation). */
function pct(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
}

/** A one-screen text summary of a calibration: fit, platform parameters with 90% intervals, workloads. */
export function calibrationSummary(cal: Calibration): string {
  const lines: string[] = [];
  const f3 = (x: number) => x.toPrecision(3);
  const f = (x: number, d = 3) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(d));
  const ci = (name: string) => {
    const i = cal.parameterNames.indexOf(name);
    if (i < 0) return "";
    const v = cal.replicates.map((r) => r[i] as number);
    return v.length ? ` [${f(pct(v, 0.05))}, ${f(pct(v, 0.95))}]` : "";
  };
  lines.push(
    `calibration "${cal.name}": ${cal.source.observations} cells from ${cal.source.kind}; ${cal.replicates.length} bootstrap replicates; 90% intervals in brackets`,
  );
  lines.push(
    `in-sample fit: latency MAPE ${cal.fit.latency.mape_pct.toFixed(1)}% (median ${cal.fit.latency.median_ape_pct.toFixed(1)}%), energy MAPE ${cal.fit.energy.mape_pct.toFixed(1)}% (median ${cal.fit.energy.median_ape_pct.toFixed(1)}%)`,
  );
  lines.push("");
  for (const [id, p] of Object.entries(cal.platforms)) {
    lines.push(
      `${id}  (peak ${p.hardware.peakComputeGflops.toFixed(0)} GFLOP/s FP32, ${p.hardware.peakBandwidthGBps} GB/s)`,
    );
    lines.push(
      `  η compute ${f(p.params.etaCompute)}${ci(`eta_compute@${id}`)}   η memory ${f(p.params.etaMemory)}${ci(`eta_memory@${id}`)}   overhead ${f(p.params.overheadS)} s${ci(`overhead_s@${id}`)}`,
    );
    const idle = p.hardware.idlePowerW;
    const active =
      idle === null
        ? ""
        : `   (active above ${idle} W idle: prefill ${f(p.params.prefillPowerW - idle)} W, decode ${f(p.params.decodePowerW - idle)} W)`;
    lines.push(
      `  power prefill ${f(p.params.prefillPowerW)} W${ci(`prefill_power_w@${id}`)}   decode ${f(p.params.decodePowerW)} W${ci(`decode_power_w@${id}`)}${active}`,
    );
  }
  const qf = Object.entries(cal.quantFactors ?? {});
  if (qf.length) {
    lines.push("");
    lines.push(
      `compute-efficiency factor by quantization family (relative to the most measured one): ${qf.map(([f, v]) => `${f} ${f3(v)}${ci(`quant_factor@${f}`)}`).join(", ")}`,
    );
  }
  lines.push("");
  lines.push("workload per inference:");
  for (const w of cal.workloads) {
    const gen = Object.entries(w.genTokensByModel)
      .map(([m, g]) => `${m} ${f(g)}${ci(`gen_tokens@${w.benchmark}@${m}`)}`)
      .join(", ");
    lines.push(
      `  ${w.benchmark.padEnd(11)} ${w.scoring.padEnd(13)} prompt ${f(w.promptTokens["large-vocab"])} (large-vocab)${w.promptTokensFitted ? ci(`prompt_tokens@${w.benchmark}`) : ""} / ${f(w.promptTokens["llama2-32k"])} (llama2-32k)${gen ? `; generated: ${gen}` : "; nothing generated"}`,
    );
  }
  return lines.join("\n");
}
