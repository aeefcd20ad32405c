/** Our own collector's JSONL (`CollectorRecordV1`): wall-clock start/end to the µs, phases in ms. */
import type { CollectorRecordV1 } from "../../ingest/types.js";
import { recordOf, type RuntimeContext, type RuntimeOutput, type RuntimeSpec } from "./types.js";

export function writeCollector(ctx: RuntimeContext): RuntimeOutput {
  const lines: string[] = [];
  const records = ctx.jobs.map((j) => {
    const correct = ctx.rng.uniform() < ctx.accuracy;
    const itemId = `${ctx.benchmark}-${String(j.index).padStart(4, "0")}`;
    const r: CollectorRecordV1 = {
      schema: "slm-energy/inference@1",
      index: j.index,
      item_id: itemId,
      start_s: Number(j.startS.toFixed(6)),
      end_s: Number(j.endS.toFixed(6)),
      prompt_tokens: j.promptTokens,
      gen_tokens: j.genTokens,
      prefill_ms: Number((j.prefillS * 1000).toFixed(3)),
      decode_ms: Number((j.decodeS * 1000).toFixed(3)),
      correct,
    };
    lines.push(JSON.stringify(r));
    return recordOf(j, itemId, correct, 5e-7, 1e-6);
  });
  return {
    fileName: "inferences.jsonl",
    text: lines.join("\n") + "\n",
    recordStarts: lines.map((_, i) => i),
    manifest: { inference_format: "collector-jsonl" },
    records,
    runtimeLabel: "slm-energy collect (simulated)",
  };
}

export const collectorRuntime: RuntimeSpec = {
  id: "collector",
  title: "slm-energy collector JSONL",
  placed: false,
  write: writeCollector,
};
