import { comparison, fmt, fmtRatio, NANO_CPU, ORIN_CPU, ORIN_GPU, PI5_CPU, platformName, pFmt } from "../lookup.js";
import type { ClaimCheck, ClaimEvidence, ClaimVerdict } from "../types.js";

/**
 * "GPU acceleration is the dominant factor, reducing latency and energy consumption by orders of
 * magnitude compared to CPU-only setups." Paired over the 12 (model, benchmark) cells: CPU/GPU
 * ratios of latency and of energy per inference, geometric mean with a paired bootstrap interval,
 * exact Wilcoxon p. "Orders of magnitude" is read literally: a ratio of at least 100.
 */
export const gpuSpeedup: ClaimCheck = (inputs) => {
  const cpus = [ORIN_CPU, PI5_CPU, NANO_CPU];
  const evidence: ClaimEvidence[] = [];
  const lines: string[] = [];
  const maxima: number[] = [];
  let allOrders = true;
  let allOneOrder = true;
  let everyCell = true;
  for (const metric of ["latency", "energy"] as const) {
    const cs = metric === "latency" ? inputs.latencyComparisons : inputs.energyComparisons;
    for (const cpu of cpus) {
      const c = comparison(cs, cpu, ORIN_GPU);
      evidence.push({
        label:
          `${platformName(cpu)} / Orin Nano GPU, ${metric === "latency" ? "latency" : "energy per inference"} ` +
          `(geometric mean over ${c.pairs} cells)`,
        value: c.ratio,
        lo: c.lo,
        hi: c.hi,
        unit: "×",
        note:
          `paired bootstrap 95 %; range ${fmt(c.min)}–${fmt(c.max)}×; Wilcoxon p = ${pFmt(c.p)} (Holm ` +
          `${pFmt(c.pHolm)})`,
      });
      if (c.lo < 100) allOrders = false;
      if (c.ratio < 10) allOneOrder = false;
      if (c.min <= 1) everyCell = false;
      maxima.push(c.max);
      lines.push(`${metric} ${platformName(cpu)}: ${fmtRatio(c.ratio, c.lo, c.hi)}`);
    }
  }
  const same = comparison(inputs.latencyComparisons, ORIN_CPU, ORIN_GPU);
  const sameE = comparison(inputs.energyComparisons, ORIN_CPU, ORIN_GPU);
  const above = evidence.filter((e) => (e.lo ?? 0) >= 100).length;
  const verdict: ClaimVerdict = allOrders
    ? "supported"
    : everyCell && allOneOrder
      ? "partly supported"
      : "not supported";
  return {
    id: "gpu-vs-cpu-speedup",
    statement:
      "GPU acceleration is the dominant factor, reducing latency and energy consumption by orders of " +
      "magnitude compared to CPU-only setups.",
    source: { line: 239, section: "Hardware Impact: GPU vs. CPU" },
    test:
      "Supported if every geometric-mean interval lies above 100× (two orders of magnitude); partly if the " +
      "GPU wins every cell and every geometric mean is at least 10×. CPU/GPU ratios of latency and of energy " +
      "per inference paired over the 12 (model, benchmark) cells, for each CPU platform against the Orin Nano " +
      "GPU: geometric mean, seeded paired-bootstrap 95 % interval, exact Wilcoxon signed-rank p with Holm over " +
      "platform pairs. Orders of magnitude = at least 100×.",
    verdict,
    finding:
      `The GPU ${everyCell ? "wins every paired cell" : "does not win every paired cell"}. On the same ` +
      `board (Orin Nano CPU vs GPU) it cuts latency ${fmtRatio(same.ratio, same.lo, same.hi)} and energy per ` +
      `inference ${fmtRatio(sameE.ratio, sameE.lo, sameE.hi)}: ` +
      `one order of magnitude, not several. Against the other CPU boards: ` +
      `${lines.filter((l) => !l.includes("Jetson Orin Nano")).join("; ")}. ` +
      (allOrders
        ? "Every interval lies above 100×."
        : `${above === 0 ? "No" : `Only ${above} of ${evidence.length}`} interval${above === 1 ? "" : "s"} ` +
          `lie${above === 1 ? "s" : ""} wholly above 100×: GPU acceleration is the dominant factor, but ` +
          `"orders of magnitude" holds for single cells (up to ${fmt(Math.max(...maxima))}×), not on average.`),
    evidence,
    restsOnDiscrepant: [],
  };
};
