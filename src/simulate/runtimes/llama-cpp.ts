/**
 * llama-server's log: per request the slot lines and the three timing lines (`prompt eval time`,
 * `eval time`, `total time`) in ms to two decimals, without wall-clock times. The manifest places
 * the requests back to back from the first one's start with the (constant) gap between them, so
 * each window's edges are known to the accumulated rounding of the printed times.
 */
import { recordOf, type RuntimeContext, type RuntimeOutput, type RuntimeSpec } from "./types.js";

const rate = (n: number, ms: number) => {
  const perToken = n > 0 ? ms / n : 0;
  const perS = ms > 0 ? (1000 * n) / ms : 0;
  return `(${perToken.toFixed(2).padStart(8)} ms per token, ${perS.toFixed(2).padStart(8)} tokens per second)`;
};

export function writeLlamaServer(ctx: RuntimeContext): RuntimeOutput {
  const lines = [
    "main: server is listening on http://127.0.0.1:8080 - starting the main loop",
    "srv  update_slots: all slots are idle",
  ];
  const starts: number[] = [];
  let printedSum = 0;
  const records = ctx.jobs.map((j, i) => {
    const task = 2 * i;
    const promptMs = (j.prefillS * 1000).toFixed(2);
    const evalMs = (j.decodeS * 1000).toFixed(2);
    const totalMs = ((j.prefillS + j.decodeS) * 1000).toFixed(2);
    starts.push(lines.length);
    lines.push(
      `slot launch_slot_: id  0 | task ${task} | processing task`,
      `slot update_slots: id  0 | task ${task} | new prompt, n_ctx_slot = 4096, n_keep = 0, n_prompt_tokens ` +
        `= ${j.promptTokens}`,
      `slot update_slots: id  0 | task ${task} | prompt done, n_past = ${j.promptTokens}, n_tokens = ${j.promptTokens}`,
      `slot      release: id  0 | task ${task} | stop processing: n_past = ${j.promptTokens + j.genTokens}, ` +
        `truncated = 0`,
      `slot print_timing: id  0 | task ${task} | `,
      `prompt eval time = ${promptMs.padStart(10)} ms / ${String(j.promptTokens).padStart(5)} tokens ` +
        `${rate(j.promptTokens, Number(promptMs))}`,
      `       eval time = ${evalMs.padStart(10)} ms / ${String(j.genTokens).padStart(5)} tokens ` +
        `${rate(j.genTokens, Number(evalMs))}`,
      `      total time = ${totalMs.padStart(10)} ms / ${String(j.promptTokens + j.genTokens).padStart(5)} tokens`,
      "srv  update_slots: all slots are idle",
    );
    printedSum += Number(totalMs) / 1000;
    // Drift of the placed start: the printed totals so far against the true ones.
    const drift = Math.abs(printedSum - (j.endS - ctx.jobs[0]!.startS - i * ctx.gapS)) + 5e-6;
    return recordOf(j, null, null, drift + 1e-6, 5e-6);
  });
  return {
    fileName: "llama-server.log",
    text: lines.join("\n") + "\n",
    recordStarts: starts,
    manifest: {
      inference_format: "llama-cpp",
      placement: { start_s: Number(ctx.jobs[0]!.startS.toFixed(6)), gap_s: ctx.gapS },
    },
    records,
    runtimeLabel: "llama.cpp llama-server (simulated)",
  };
}

export const llamaCppRuntime: RuntimeSpec = {
  id: "llama.cpp",
  title: "llama.cpp llama-server timing log",
  placed: true,
  write: writeLlamaServer,
};
