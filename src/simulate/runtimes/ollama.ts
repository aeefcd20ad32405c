/**
 * Ollama `/api/generate` final responses, one JSON object per line (what a client that saves each
 * response writes): `created_at` is when the answer completed (RFC 3339 to the ns, UTC),
 * durations in ns. The model is loaded: `load_duration` is the few ms of the request's set-up,
 * spent before prefill and included in `total_duration` and in the inference's window.
 */
import { recordOf, OLLAMA_NAMES, type RuntimeContext, type RuntimeOutput, type RuntimeSpec } from "./types.js";

function rfc3339Ns(epochS: number): string {
  const whole = Math.floor(epochS);
  let ns = Math.round((epochS - whole) * 1e9);
  let w = whole;
  if (ns >= 1e9) {
    ns -= 1e9;
    w += 1;
  }
  return new Date(w * 1000).toISOString().replace(/\.\d{3}Z$/, `.${String(ns).padStart(9, "0")}Z`);
}

export function writeOllama(ctx: RuntimeContext): RuntimeOutput {
  const lines: string[] = [];
  const records = ctx.jobs.map((j) => {
    const totalNs = Math.round(j.latencyS * 1e9);
    // The first 0.5 % of the prefill phase is the request's set-up (load_duration).
    const loadNs = Math.round(j.prefillS * 0.005 * 1e9);
    const promptNs = Math.round(j.prefillS * 1e9) - loadNs;
    const evalNs = Math.round(j.decodeS * 1e9);
    const answer = ["A", "B", "C", "D"][ctx.rng.int(0, 3)]!;
    lines.push(
      JSON.stringify({
        model: OLLAMA_NAMES[ctx.model],
        created_at: rfc3339Ns(j.endS),
        response: ctx.benchmark === "mmlu" ? `The answer is ${answer}.` : answer,
        done: true,
        done_reason: "stop",
        total_duration: totalNs,
        load_duration: loadNs,
        prompt_eval_count: j.promptTokens,
        prompt_eval_duration: promptNs,
        eval_count: j.genTokens,
        eval_duration: evalNs,
      }),
    );
    // float64 epoch seconds resolve ~0.24 µs; the window's start is end − total.
    return recordOf(j, null, null, 1e-6, 1e-6);
  });
  return {
    fileName: "ollama-responses.ndjson",
    text: lines.join("\n") + "\n",
    recordStarts: lines.map((_, i) => i),
    manifest: { inference_format: "ollama-json" },
    records,
    runtimeLabel: "ollama /api/generate (simulated)",
  };
}

export const ollamaRuntime: RuntimeSpec = {
  id: "ollama",
  title: "Ollama API responses (NDJSON)",
  placed: false,
  write: writeOllama,
};
