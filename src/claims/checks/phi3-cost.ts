import { BENCHMARKS } from "../../domain/ids.js";
import { geometricMeanRatio } from "../../stats/bootstrap.js";
import { fmt, modelName, ORIN_GPU, platformName } from "../lookup.js";
import type { ClaimCheck, ClaimInputs, ClaimVerdict } from "../types.js";

/** Phi-3's accuracy lead per (platform, benchmark), and its costs beside Llama 3.2 on the same cells. */
function phi3Lead(inputs: ClaimInputs) {
  const os = inputs.observations;
  const platforms = [...new Set(os.map((o) => o.platform))];
  let cells = 0;
  let top = 0;
  let significant = 0;
  const perBenchmark: Record<string, { top: number; sig: number; cells: number; leadPp: number[] }> = {};
  const costE: number[] = [];
  const costL: number[] = [];
  const baseE: number[] = [];
  const baseL: number[] = [];
  for (const b of BENCHMARKS) perBenchmark[b] = { top: 0, sig: 0, cells: 0, leadPp: [] };
  for (const p of platforms) {
    for (const b of BENCHMARKS) {
      const here = os.filter((o) => o.platform === p && o.benchmark === b);
      const phi = here.find((o) => o.model === "phi-3-mini");
      const llama = here.find((o) => o.model === "llama-3.2-1b");
      if (!phi || here.length < 2) continue;
      cells++;
      perBenchmark[b]!.cells++;
      const others = here.filter((o) => o !== phi);
      const runnerUp = others.reduce((a, c) => (c.accuracyPct > a.accuracyPct ? c : a));
      if (phi.accuracyPct > runnerUp.accuracyPct) {
        top++;
        perBenchmark[b]!.top++;
        const cmp = inputs.accuracyComparisons.find(
          (c) => c.platform === p && c.benchmark === b && c.modelA === "phi-3-mini" && c.modelB === runnerUp.model,
        );
        if (cmp?.significant) {
          significant++;
          perBenchmark[b]!.sig++;
        }
      }
      perBenchmark[b]!.leadPp.push(phi.accuracyPct - runnerUp.accuracyPct);
      if (llama) {
        costE.push(phi.energyPerInferenceWh);
        costL.push(phi.latencyS);
        baseE.push(llama.energyPerInferenceWh);
        baseL.push(llama.latencyS);
      }
    }
  }
  return { cells, top, significant, perBenchmark, costE, costL, baseE, baseL };
}

/** Absolute practicality: Phi-3 on the Orin GPU against the fastest/cheapest CPU choice of any model. */
function phi3OnGpu(os: ClaimInputs["observations"]): { practical: string[]; gpuBeatsAllCpu: number } {
  const practical: string[] = [];
  let gpuBeatsAllCpu = 0;
  for (const b of BENCHMARKS) {
    const phiGpu = os.find((o) => o.platform === ORIN_GPU && o.model === "phi-3-mini" && o.benchmark === b);
    const cpu = os.filter((o) => o.benchmark === b && o.backend === "cpu");
    if (!phiGpu || cpu.length === 0) continue;
    const fastest = cpu.reduce((a, c) => (c.latencyS < a.latencyS ? c : a));
    const cheapest = cpu.reduce((a, c) => (c.energyPerInferenceWh < a.energyPerInferenceWh ? c : a));
    if (phiGpu.latencyS < fastest.latencyS && phiGpu.energyPerInferenceWh < cheapest.energyPerInferenceWh)
      gpuBeatsAllCpu++;
    practical.push(
      `${b}: Phi-3 on the Orin GPU ${fmt(phiGpu.latencyS)} s and ${fmt(phiGpu.energyPerInferenceWh)} Wh per ` +
        `item vs the best CPU choice ${fmt(fastest.latencyS)} s (${modelName(fastest.model)}, ` +
        `${platformName(fastest.platform)}) and ${fmt(cheapest.energyPerInferenceWh)} Wh ` +
        `(${modelName(cheapest.model)}, ${platformName(cheapest.platform)})`,
    );
  }
  return { practical, gpuBeatsAllCpu };
}

/**
 * "The higher accuracy of Phi-3 Mini comes at an impractical cost in energy consumption and
 * latency." Two parts: (a) Phi-3's accuracy lead over the runner-up model per (platform,
 * benchmark), Holm-corrected over all model comparisons; (b) what that lead costs in energy per
 * inference and latency relative to the most accurate other model and to Llama 3.2, and whether
 * the cost is prohibitive in absolute terms (Phi-3 on the Orin GPU against the CPU platforms).
 */
export const phi3Cost: ClaimCheck = (inputs) => {
  const os = inputs.observations;
  const { cells, top, significant, perBenchmark, costE, costL, baseE, baseL } = phi3Lead(inputs);
  const eRatio = geometricMeanRatio(costE, baseE);
  const lRatio = geometricMeanRatio(costL, baseL);
  const { practical, gpuBeatsAllCpu } = phi3OnGpu(os);
  const verdict: ClaimVerdict =
    significant === cells && gpuBeatsAllCpu === 0 ? "supported" : top > 0 ? "partly supported" : "not supported";
  const bench = BENCHMARKS.map((b) => {
    const s = perBenchmark[b]!;
    return (
      `${b}: top in ${s.top}/${s.cells}, significant (Holm) in ${s.sig}, lead ` +
      `${fmt(Math.min(...s.leadPp))}–${fmt(Math.max(...s.leadPp))} pp`
    );
  }).join("; ");
  return {
    id: "phi3-accuracy-at-impractical-cost",
    statement: "The higher accuracy of Phi-3 Mini comes at an impractical cost in energy consumption and latency.",
    source: { line: 284, section: "Conclusion and Takeaways" },
    test:
      "Phi-3's accuracy lead over the next-best model per (platform, benchmark) with a two-proportion test at " +
      "the study's n (Holm over all 72 model comparisons); its energy per inference and latency relative to " +
      "Llama 3.2 (geometric mean over the same cells); Phi-3 on the Orin GPU against the best CPU choice.",
    verdict,
    finding:
      `Phi-3 is the most accurate model in ${top} of ${cells} (platform, benchmark) cells and significantly ` +
      `so after Holm in ${significant} (${bench}). ` +
      `It costs ${fmt(eRatio)}× the energy per inference and ${fmt(lRatio)}× the latency of Llama 3.2 ` +
      `(geometric means). ` +
      `Yet on the Orin Nano GPU Phi-3 is faster and cheaper per item than every model on every CPU platform ` +
      `on ${gpuBeatsAllCpu} of 3 benchmarks (${practical.join("; ")}): its cost is relative, not ` +
      `prohibitive, on the recommended hardware.`,
    evidence: [
      { label: "cells where Phi-3 is the most accurate model", value: top, unit: `of ${cells}` },
      {
        label: "… significantly above the runner-up (Holm-adjusted p ≤ 0.05)",
        value: significant,
        unit: `of ${cells}`,
      },
      {
        label: "Phi-3 / Llama 3.2 energy per inference (geometric mean)",
        value: eRatio,
        unit: "×",
        lo: Math.min(...costE.map((e, i) => e / baseE[i]!)),
        hi: Math.max(...costE.map((e, i) => e / baseE[i]!)),
        note: "range over cells",
      },
      {
        label: "Phi-3 / Llama 3.2 latency (geometric mean)",
        value: lRatio,
        unit: "×",
        lo: Math.min(...costL.map((e, i) => e / baseL[i]!)),
        hi: Math.max(...costL.map((e, i) => e / baseL[i]!)),
        note: "range over cells",
      },
      {
        label: "benchmarks where Phi-3 on the Orin GPU beats every CPU choice on both latency and energy",
        value: gpuBeatsAllCpu,
        unit: "of 3",
      },
    ],
    restsOnDiscrepant: [],
  };
};
