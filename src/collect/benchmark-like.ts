/**
 * Synthetic prompts shaped like the study's benchmarks, for timing runs without the datasets:
 * the prompt layout lm-evaluation-harness uses for each task (zero-shot) filled with seeded
 * pseudo-English, with lengths in the range of the real items. The words are meaningless; the
 * token counts, and so the prefill work, are of the right order. Deterministic per seed.
 *
 * - mmlu: "The following are multiple choice questions (with answers) about <subject>.\n\n
 *   <question>\nA. …\nB. …\nC. …\nD. …\nAnswer:" — question 12–60 words, choices 1–10 words.
 * - hellaswag: "<activity>: <context>" — context 20–55 words (ctx_a + ctx_b).
 * - winogrande: a sentence of 15–30 words with one option filled in.
 */
import { BENCHMARKS, isBenchmark } from "../domain/ids.js";
import { usageError } from "../errors.js";
import { mulberry32 } from "../stats/rng.js";
import type { PromptItem } from "./prompts.js";

const WORDS = (
  "the of and to in is that for it as was with be by on not he this are or his from at which but have an they " +
  "you were her she there one all we their been has when who will more no if out so said what up its about " +
  "into than them can only other new some could time these two may then do first any my now such like our over " +
  "man me even most made after also did many before must through back years where much your way well down should " +
  "because each just those people how too little state good very make world still own see men work long get here " +
  "between both life being under never day same another know while last might us great old year off come since " +
  "against go came right used take three energy power device model memory water cell theory law market force " +
  "process system value function reaction surface pressure light heat number level rate structure change"
).split(" ");
const SUBJECTS = [
  "abstract algebra",
  "anatomy",
  "astronomy",
  "college physics",
  "computer security",
  "econometrics",
  "high school biology",
  "moral scenarios",
  "philosophy",
  "virology",
];
const ACTIVITIES = [
  "Making a sandwich",
  "Cleaning windows",
  "Playing guitar",
  "Walking the dog",
  "Baking cookies",
  "Washing a car",
];

export function benchmarkLikePrompts(benchmark: string, n: number, seed = 1): PromptItem[] {
  if (!isBenchmark(benchmark)) {
    throw usageError(`unknown benchmark "${benchmark}"`, `use one of ${BENCHMARKS.join(", ")}`);
  }
  const rng = mulberry32(seed * 7919 + benchmark.length);
  const int = (lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const words = (lo: number, hi: number): string => Array.from({ length: int(lo, hi) }, () => pick(WORDS)).join(" ");
  const sentence = (lo: number, hi: number): string => {
    const s = words(lo, hi);
    return s.charAt(0).toUpperCase() + s.slice(1);
  };
  const items: PromptItem[] = [];
  for (let i = 0; i < n; i++) {
    let prompt: string;
    if (benchmark === "mmlu") {
      const q = `${sentence(12, 60)}?`;
      const choices = ["A", "B", "C", "D"].map((l) => `${l}. ${words(1, 10)}`).join("\n");
      const subject = pick(SUBJECTS); // drawn after the question and choices, as always
      const intro = `The following are multiple choice questions (with answers) about ${subject}.`;
      prompt = `${intro}\n\n${q}\n${choices}\nAnswer:`;
    } else if (benchmark === "hellaswag") {
      prompt = `${pick(ACTIVITIES)}: ${sentence(12, 35)}. ${sentence(8, 20)}`;
    } else {
      prompt = `${sentence(15, 30)}.`;
    }
    items.push({ id: `${benchmark}-like-${i}`, prompt, line: 0 });
  }
  return items;
}
