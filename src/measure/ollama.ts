/**
 * `measure --ollama MODEL --prompts FILE.jsonl`: each prompt sent to a local Ollama's
 * `/api/generate` (stream false), each answer placed as windows from the durations it returns.
 * Pure parts: which address is allowed, the request body, and the windows of a response. The
 * requests themselves are `pipeline/measure/ollama.ts`.
 *
 * Placement: Ollama's response ends its work when it is sent, so the moment it arrived (on this
 * machine's clock, the sampler's) is the end of decode; decode (`eval_duration`) lies before it,
 * prefill (`prompt_eval_duration`) before that, and the model load (`load_duration`, non-zero
 * when the model was not in memory) before prefill. The inference window is prefill + decode,
 * split where prefill ends; the load window is kept apart (in run.json): loading a model is not
 * the inference's cost, and its energy stays in the run's total span. Durations are the API's
 * nanoseconds; counts are `prompt_eval_count` and `eval_count`.
 */
import { SlmError, usageError } from "../errors.js";
import type { CollectorRecordV1 } from "../ingest/types.js";
import { nsToS } from "../metrics/units.js";
import type { PromptItem } from "../collect/prompts.js";

export const OLLAMA_DEFAULT_URL = "http://127.0.0.1:11434";

/**
 * The Ollama address `--ollama-url` names (default 127.0.0.1:11434): 127.0.0.1 only, any port.
 * A remote server would be measured on the wrong machine, so other hosts (even `localhost`,
 * which may resolve elsewhere) are refused.
 */
export function ollamaBaseUrl(given: string | null): URL {
  const text = given ?? OLLAMA_DEFAULT_URL;
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw usageError(`--ollama-url ${text} is not a URL`, "e.g. --ollama-url http://127.0.0.1:11434");
  }
  if (url.protocol !== "http:") throw usageError(`--ollama-url ${text}: only http:// is spoken to a local Ollama`);
  if (url.hostname !== "127.0.0.1")
    throw usageError(
      `--ollama-url ${text}: measure talks to an Ollama on this machine only (127.0.0.1), not ${url.hostname}`,
      "run measure on the machine Ollama runs on; another port is fine: --ollama-url http://127.0.0.1:PORT",
    );
  if (url.pathname !== "/" || url.search !== "")
    throw usageError(`--ollama-url ${text}: give the server's address only (http://127.0.0.1:PORT)`);
  return url;
}

/** The body of one request: the prompt, the whole answer in one response. */
export const ollamaRequestBody = (model: string, prompt: string): string =>
  JSON.stringify({ model, prompt, stream: false });

/** One answered request: its inference window, and the model load before it (null when none). */
export interface OllamaWindows {
  record: CollectorRecordV1;
  load: { start_s: number; end_s: number } | null;
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const round3 = (x: number): number => Math.round(x * 1e3) / 1e3;

/** A duration field (ns ≥ 0) or a count (integer ≥ 0); absent is 0; anything else an error. */
function field(obj: Record<string, unknown>, key: string, integer: boolean, where: string): number {
  const v = obj[key];
  if (v === undefined || v === null) return 0;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v)))
    throw new SlmError("E_INPUT", `${where}: field "${key}" is ${JSON.stringify(v)}, expected a number ≥ 0`, {
      hint: "is this an Ollama /api/generate response? (durations in ns, counts as integers)",
    });
  return v;
}

/**
 * The windows of one `/api/generate` response that arrived at `arrivedS` (epoch s): see the
 * module comment. A response with an `error`, not `done`, or without decode time is an error
 * naming the prompt's line.
 */
export function ollamaWindows(body: unknown, arrivedS: number, index: number, item: PromptItem): OllamaWindows {
  const where = `Ollama's answer to prompt line ${item.line}`;
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new SlmError("E_INPUT", `${where} is not a JSON object`);
  const obj = body as Record<string, unknown>;
  if (obj.error !== undefined)
    throw new SlmError("E_INPUT", `${where}: ${typeof obj.error === "string" ? obj.error : JSON.stringify(obj.error)}`);
  if (obj.done !== true)
    throw new SlmError("E_INPUT", `${where} is not a final answer ("done": ${JSON.stringify(obj.done)})`, {
      hint: 'measure asks for "stream": false, which Ollama answers in one response with "done": true',
    });
  const loadS = nsToS(field(obj, "load_duration", false, where));
  const prefillS = nsToS(field(obj, "prompt_eval_duration", false, where));
  const decodeS = nsToS(field(obj, "eval_duration", false, where));
  if (decodeS + prefillS <= 0)
    throw new SlmError("E_INPUT", `${where} has no prompt_eval_duration or eval_duration: nothing to place`);
  const start = arrivedS - decodeS - prefillS;
  return {
    record: {
      schema: "slm-energy/inference@1",
      index,
      item_id: item.id ?? `line${item.line}`,
      start_s: round6(start),
      end_s: round6(arrivedS),
      prompt_tokens: field(obj, "prompt_eval_count", true, where),
      gen_tokens: field(obj, "eval_count", true, where),
      prefill_ms: round3(prefillS * 1000),
      decode_ms: round3(decodeS * 1000),
      correct: null,
    },
    load: loadS > 0 ? { start_s: round6(start - loadS), end_s: round6(start) } : null,
  };
}
