/**
 * Prompt files for the collector: JSONL, one prompt per line, as `{"prompt": "…"}` (also `text`
 * or `input`), with an optional `id`. Blank lines are skipped. A line that is not such an object
 * stops the run with the file, line and field: a prompt set with holes would measure something
 * else than the user asked for.
 */
import { inputError } from "../errors.js";

export interface PromptItem {
  id: string | null;
  prompt: string;
  /** 1-based line in the prompt file (0 for generated prompts). */
  line: number;
}

const TEXT_KEYS = ["prompt", "text", "input"] as const;

export function parsePromptsJsonl(text: string, file: string): PromptItem[] {
  const items: PromptItem[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === "") continue;
    const line = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw inputError(`not valid JSON: ${(e as Error).message}`, {
        file,
        line,
        text: raw,
        hint: 'each line must be a JSON object like {"id": "q1", "prompt": "…"}',
      });
    }
    if (typeof value === "string") {
      items.push({ id: null, prompt: value, line });
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw inputError("expected a JSON object or string", { file, line, text: raw, hint: 'write {"prompt": "…"}' });
    }
    const obj = value as Record<string, unknown>;
    const key = TEXT_KEYS.find((k) => k in obj);
    if (key === undefined) {
      throw inputError(`no prompt text (expected one of the fields ${TEXT_KEYS.join(", ")})`, {
        file,
        line,
        text: raw,
        field: "prompt",
      });
    }
    const prompt = obj[key];
    if (typeof prompt !== "string" || prompt.trim() === "") {
      throw inputError("the prompt must be a non-empty string", { file, line, field: key, text: raw });
    }
    const id = obj.id ?? obj.item_id ?? null;
    if (id !== null && typeof id !== "string" && typeof id !== "number") {
      throw inputError("id must be a string or a number", { file, line, field: "id", text: raw });
    }
    items.push({ id: id === null ? null : String(id), prompt, line });
  }
  if (items.length === 0)
    throw inputError("the prompt file holds no prompts", { file, hint: 'one JSON object per line: {"prompt": "…"}' });
  return items;
}
