/**
 * The three benchmarks' public JSONL layouts, turned into multiple-choice items the way
 * lm-evaluation-harness (v0.4) builds its requests, zero-shot:
 *
 * - **mmlu** (`cais/mmlu`: question, subject, choices[4], answer 0–3 or "A"–"D"):
 *   context = "The following are multiple choice questions (with answers) about <subject with
 *   spaces>.\n\n<question.strip()>\nA. <c0>\nB. <c1>\nC. <c2>\nD. <c3>\nAnswer:", choices
 *   "A"…"D", each continuation " A" … " D".
 * - **hellaswag** (`Rowan/hellaswag`: activity_label, ctx_a, ctx_b (or ctx), endings[4], label):
 *   context = preprocess(activity_label + ": " + ctx_a + " " + capitalize(ctx_b)), continuation
 *   " " + preprocess(ending); preprocess strips, turns " [title]" into ". ", drops "[…]" tags
 *   and double spaces.
 * - **winogrande** (`winogrande_xl`: sentence with one "_", option1, option2, answer "1"/"2"):
 *   partial evaluation — contexts = sentence before "_" + option, the one continuation
 *   " " + (sentence after "_").strip(); the option whose context makes it likelier wins. Both
 *   choices score that same continuation, so acc_norm's length is the same for both and acc_norm ≡ acc.
 *
 * A line that cannot become an item is rejected with its reason (kept, never dropped silently).
 */
import { BENCHMARKS, isBenchmark, type Benchmark } from "../domain/ids.js";
import { usageError } from "../errors.js";

export interface McRequest {
  context: string;
  continuation: string;
}

export interface McItem {
  id: string;
  /** 1-based line in the task file. */
  line: number;
  /** Subtask (MMLU subject), when the layout has one. */
  subtask: string | null;
  /** One request per choice, in choice order. */
  requests: McRequest[];
  /**
   * Texts acc_norm divides by: the choice strings, as lm-eval's completion_len (winogrande: the
   * continuation both choices score).
   */
  choiceTexts: string[];
  gold: number;
}

export interface RejectedLine {
  line: number;
  text: string;
  reason: string;
}

export interface TaskFile {
  format: Benchmark;
  items: McItem[];
  rejected: RejectedLine[];
}

type Doc = Record<string, unknown>;

class Reject extends Error {}
const need = (cond: unknown, reason: string): void => {
  if (!cond) throw new Reject(reason);
};
const str = (d: Doc, k: string): string => {
  need(typeof d[k] === "string", `field "${k}": expected a string, found ${JSON.stringify(d[k]) ?? "nothing"}`);
  return d[k] as string;
};
const strArray = (d: Doc, k: string, min: number): string[] => {
  const v = d[k];
  need(
    Array.isArray(v) && v.length >= min && v.every((x) => typeof x === "string"),
    `field "${k}": expected a list of at least ${min} strings`,
  );
  return v as string[];
};

const LETTERS = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"];

function goldIndex(v: unknown, field: string, n: number, base: 0 | 1, letters = false): number {
  let i: number | null = null;
  if (typeof v === "number" && Number.isInteger(v)) i = v - base;
  else if (typeof v === "string" && /^\d+$/.test(v.trim())) i = Number(v.trim()) - base;
  else if (letters && typeof v === "string" && LETTERS.includes(v.trim().toUpperCase()))
    i = LETTERS.indexOf(v.trim().toUpperCase());
  need(i !== null, `field "${field}": no gold answer (${JSON.stringify(v) ?? "missing"}; an unlabeled test split?)`);
  need(i! >= 0 && i! < n, `field "${field}": answer ${JSON.stringify(v)} is out of range for ${n} choices`);
  return i!;
}

function mmlu(d: Doc, line: number, index: number): McItem {
  const question = str(d, "question");
  const choices = strArray(d, "choices", 2);
  need(choices.length <= LETTERS.length, `field "choices": more than ${LETTERS.length} choices`);
  const subject = typeof d.subject === "string" && d.subject.trim() !== "" ? d.subject.trim() : null;
  const gold = goldIndex(d.answer, "answer", choices.length, 0, true);
  const header = subject
    ? `The following are multiple choice questions (with answers) about ${subject.replace(/_/g, " ")}.\n\n`
    : "";
  const body = `${question.trim()}\n${choices.map((c, i) => `${LETTERS[i]}. ${c}`).join("\n")}\nAnswer:`;
  const letters = LETTERS.slice(0, choices.length);
  return {
    id: typeof d.id === "string" || typeof d.id === "number" ? String(d.id) : `${subject ?? "mmlu"}-${index}`,
    line,
    subtask: subject,
    requests: letters.map((l) => ({ context: header + body, continuation: ` ${l}` })),
    choiceTexts: letters,
    gold,
  };
}

/** lm-eval's hellaswag `preprocess`. */
export function hellaswagPreprocess(text: string): string {
  let t = text.trim();
  t = t.replace(/ \[title\]/g, ". ");
  t = t.replace(/\[.*?\]/g, "");
  t = t.replace(/ {2}/g, " ");
  return t;
}

const capitalize = (s: string): string => (s.length === 0 ? s : s.charAt(0).toUpperCase() + s.slice(1).toLowerCase());

function hellaswag(d: Doc, line: number, index: number): McItem {
  const activity = typeof d.activity_label === "string" ? d.activity_label : "";
  let ctx: string;
  if (typeof d.ctx_a === "string") ctx = `${d.ctx_a} ${capitalize(typeof d.ctx_b === "string" ? d.ctx_b : "")}`;
  else ctx = str(d, "ctx");
  const endings = strArray(d, "endings", 2);
  const gold = goldIndex(d.label, "label", endings.length, 0);
  const query = hellaswagPreprocess(`${activity}: ${ctx}`);
  const choices = endings.map(hellaswagPreprocess);
  const id = d.ind ?? d.source_id ?? d.id;
  return {
    id: typeof id === "string" || typeof id === "number" ? String(id) : `hellaswag-${index}`,
    line,
    subtask: null,
    requests: choices.map((c) => ({ context: query, continuation: ` ${c}` })),
    choiceTexts: choices,
    gold,
  };
}

function winogrande(d: Doc, line: number, index: number): McItem {
  const sentence = str(d, "sentence");
  const options = [str(d, "option1"), str(d, "option2")];
  const blank = sentence.indexOf("_");
  need(blank >= 0, `field "sentence": no "_" blank to fill`);
  const gold = goldIndex(d.answer, "answer", 2, 1);
  const continuation = sentence.slice(blank + 1).trim();
  need(continuation !== "", `field "sentence": nothing after the "_" blank to score`);
  return {
    id: typeof d.qID === "string" ? d.qID : `winogrande-${index}`,
    line,
    subtask: null,
    requests: options.map((o) => ({ context: sentence.slice(0, blank) + o, continuation: ` ${continuation}` })),
    // acc_norm divides by the scored text, and the two choices score the same continuation: acc_norm ≡ acc.
    choiceTexts: options.map(() => continuation),
    gold,
  };
}

const BUILDERS: Record<Benchmark, (d: Doc, line: number, index: number) => McItem> = { mmlu, hellaswag, winogrande };

/** Read a task file's text in a benchmark's layout; at most `limit` items (lm-eval's --limit: the first N). */
export function parseTaskJsonl(text: string, format: string, limit?: number): TaskFile {
  if (!isBenchmark(format))
    throw usageError(`unknown task format "${format}": expected one of ${BENCHMARKS.join(", ")}`);
  const build = BUILDERS[format];
  const items: McItem[] = [];
  const rejected: RejectedLine[] = [];
  // A UTF-8 BOM (Windows editors write one) is no part of the first record.
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (limit !== undefined && items.length >= limit) break;
    const raw = lines[i]!;
    if (raw.trim() === "") continue;
    let doc: unknown;
    try {
      doc = JSON.parse(raw);
    } catch (e) {
      rejected.push({
        line: i + 1,
        text: raw.slice(0, 200),
        reason: `not valid JSON (truncated line?): ${(e as Error).message}`,
      });
      continue;
    }
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
      rejected.push({ line: i + 1, text: raw.slice(0, 200), reason: "expected a JSON object" });
      continue;
    }
    try {
      items.push(build(doc as Doc, i + 1, items.length));
    } catch (e) {
      if (!(e instanceof Reject)) throw e;
      rejected.push({ line: i + 1, text: raw.slice(0, 200), reason: e.message });
    }
  }
  return { format, items, rejected };
}
