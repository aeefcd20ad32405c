import { discrepantCells, fmt, modelName, platformName } from "../lookup.js";
import type { ClaimCheck, ClaimVerdict } from "../types.js";

interface CellKey {
  table: string;
  metric: string;
  model: string;
  device: string;
  backend: string;
  benchmark: string | null;
}

/**
 * "Tokens/Wh (Efficiency): TinyLlama (1.1B), 175,690 — ultra-low power champion (HellaSwag / Orin
 * Nano GPU)." The published tokens-per-Wh cells of the token benchmarks (HellaSwag, Winogrande):
 * the claimed cell must be the largest, and the audit must find it consistent with the primaries.
 */
export const tokensPerWhChampion: ClaimCheck = (inputs) => {
  const cells = inputs.paper.cells.filter(
    (c) => c.table === "throughput" && c.metric === "per_wh" && c.benchmark !== "mmlu",
  );
  const sorted = [...cells].sort((a, b) => b.value - a.value);
  const top = sorted[0]!;
  const second = sorted[1]!;
  const isClaimed =
    top.model === "tinyllama-1.1b" &&
    top.device === "jetson-orin-nano" &&
    top.backend === "gpu" &&
    top.benchmark === "hellaswag";
  const isTop = (c: CellKey): boolean =>
    c.table === "throughput" &&
    c.metric === "per_wh" &&
    c.model === top.model &&
    c.device === top.device &&
    c.backend === top.backend &&
    c.benchmark === top.benchmark;
  const discrepant = discrepantCells(inputs, isTop);
  const verdict: ClaimVerdict =
    isClaimed && discrepant.length === 0 ? "supported" : isClaimed ? "partly supported" : "not supported";
  const energyOf = (m: string): number =>
    inputs.observations.find(
      (o) => o.platform === `${top.device}/${top.backend}` && o.model === m && o.benchmark === top.benchmark,
    )?.energyPerInferenceWh ?? Number.NaN;
  const rival = cells
    .filter(
      (c) =>
        c.model !== top.model && c.device === top.device && c.backend === top.backend && c.benchmark === top.benchmark,
    )
    .sort((a, b) => b.value - a.value)[0];
  const energyRatio = rival ? energyOf(rival.model) / energyOf(top.model) : Number.NaN;
  const tokenRatio = rival ? top.value / rival.value : Number.NaN;
  const audited = inputs.audit.cells.find(isTop);
  return {
    id: "tokens-per-wh-champion",
    statement:
      "Tokens/Wh (Efficiency): TinyLlama (1.1B), 175,690 — ultra-low power champion (HellaSwag / Orin Nano GPU).",
    source: { line: 233, section: "Model Efficiency" },
    test:
      "The largest published tokens-per-Wh cell of HellaSwag and Winogrande, and the audit's verdict on it " +
      "(tokens per inference are estimated by the audit, since the paper prints none).",
    verdict,
    finding:
      `The largest tokens-per-Wh cell is ${modelName(top.model)} on ${top.benchmark} on ` +
      `${platformName(`${top.device}/${top.backend}`)} (${top.printed}), ` +
      `${fmt(top.value / second.value)}× the runner-up (${modelName(second.model)} ${second.benchmark} on ` +
      `${platformName(`${second.device}/${second.backend}`)}, ${second.printed}). ` +
      (audited
        ? `The audit finds it ${audited.verdict} (recomputed ` +
          `${fmt(audited.recomputed_low)}–${fmt(audited.recomputed_high)}).`
        : "The audit does not cover it.") +
      " The metric counts tokens, so it also rewards a tokenizer that splits an item into more tokens " +
      "(TinyLlama's 32k vocabulary against Llama 3.2's 128k)" +
      (rival
        ? `: against ${modelName(rival.model)} on the same cell TinyLlama gets ${fmt(tokenRatio)}× the tokens ` +
          `per Wh while using ${fmt(1 / energyRatio)}× its energy per item.`
        : "."),
    evidence: [
      {
        label: `tokens per Wh, ${top.model} ${top.benchmark} ${top.device}/${top.backend}`,
        value: top.value,
        unit: "tokens/Wh",
      },
      {
        label: `runner-up, ${second.model} ${second.benchmark} ${second.device}/${second.backend}`,
        value: second.value,
        unit: "tokens/Wh",
      },
    ],
    restsOnDiscrepant: discrepant,
  };
};
