/**
 * `measure --ollama`: the prompts sent one after another to a local Ollama's `/api/generate`
 * (node:http, no time-out: a long answer on a slow board may take minutes and arrives whole).
 * Each response is kept raw (one JSON line in `ollama-responses.jsonl`, readable by `ingest`'s
 * Ollama reader and `slm-energy inspect`) and placed as windows (`measure/ollama.ts`).
 */
import { request } from "node:http";
import { nowEpochS } from "../../collect/clock.js";
import type { PromptItem } from "../../collect/prompts.js";
import { SlmError } from "../../errors.js";
import { ollamaRequestBody, ollamaWindows, type OllamaWindows } from "../../measure/ollama.js";

export const OLLAMA_RESPONSES = "ollama-responses.jsonl";

export interface OllamaPlan {
  model: string;
  url: URL;
  prompts: PromptItem[];
  /** The prompt file, as given. */
  promptsFile: string;
}

/** One POST; resolves with the status and body text, when the whole response has arrived. */
function post(url: URL, body: string, signal?: AbortSignal): Promise<{ status: number; text: string }> {
  return new Promise((res, rej) => {
    const req = request(
      new URL("/api/generate", url),
      {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        ...(signal ? { signal } : {}),
      },
      (r) => {
        let text = "";
        r.setEncoding("utf8");
        r.on("data", (c: string) => (text += c));
        r.on("end", () => res({ status: r.statusCode ?? 0, text }));
        r.on("error", rej);
      },
    );
    req.on("error", rej);
    req.end(body);
  });
}

const unreachable = (url: URL, e: Error): SlmError =>
  new SlmError("E_ENV", `no Ollama answers at ${url.origin} (${(e as { code?: string }).code ?? e.message})`, {
    hint: "start it (`ollama serve`, or the ollama service), or give its port: --ollama-url http://127.0.0.1:PORT",
  });

/** What Ollama said when it refused (its `{"error": …}` body), with what to do. */
function refused(plan: OllamaPlan, item: PromptItem, status: number, text: string): SlmError {
  let said = text.trim();
  try {
    const v = JSON.parse(text) as { error?: unknown };
    if (typeof v.error === "string") said = v.error;
  } catch {
    // not JSON: keep the text
  }
  const hint = status === 404 ? `pull the model first: ollama pull ${plan.model}` : undefined;
  return new SlmError("E_ENV", `Ollama answered HTTP ${status} to prompt line ${item.line}: ${said.slice(0, 200)}`, {
    ...(hint ? { hint } : {}),
  });
}

export interface OllamaProgress {
  /** The raw response of each request, as one line. */
  onResponse(line: string): void;
  onWindows(w: OllamaWindows, item: PromptItem): void;
}

/**
 * Sends every prompt in turn; stops early when `signal` aborts (the request in flight is
 * dropped). Resolves with the number of answered prompts; a refused request or an unreadable
 * answer is an error (the windows so far are already recorded).
 */
export async function runOllamaPrompts(plan: OllamaPlan, p: OllamaProgress, signal?: AbortSignal): Promise<number> {
  let done = 0;
  for (const item of plan.prompts) {
    if (signal?.aborted) break;
    let answer: { status: number; text: string };
    try {
      answer = await post(plan.url, ollamaRequestBody(plan.model, item.prompt), signal);
    } catch (e) {
      if (signal?.aborted) break;
      throw unreachable(plan.url, e as Error);
    }
    const arrivedS = nowEpochS();
    if (answer.status !== 200) throw refused(plan, item, answer.status, answer.text);
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      throw new SlmError("E_INPUT", `Ollama's answer to prompt line ${item.line} is not JSON`, {
        hint: `is ${plan.url.origin} an Ollama server?`,
      });
    }
    const raw = answer.text.trim();
    p.onResponse((raw.includes("\n") ? JSON.stringify(body) : raw) + "\n"); // as received, one line
    p.onWindows(ollamaWindows(body, arrivedS, done, item), item);
    done++;
  }
  return done;
}
