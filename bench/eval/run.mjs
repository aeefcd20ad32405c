#!/usr/bin/env node
// Benchmark: `eval`'s scoring rate against `collect`'s prefill rate on the same synthetic GGUF, in
// the same run, same threads. Both are llama.cpp forward passes over the same texts; eval must add
// little on top (per scored position: the target's logit, the greedy token's and Σ exp). Goal:
// eval's tokens scored per second ≥ 50 % of collect's prefill tokens per second.
//
// - Model: `slm-energy gguf synth` (seeded random weights; synthetic, labelled as such), sized so
//   the forward passes, not the bookkeeping, take the time (default 6 layers × 384, vocab 16000,
//   Q8_0, ≈ 23 M parameters).
// - Items: the project's real MMLU / HellaSwag / Winogrande fixture lines (test/fixtures/eval,
//   rows of the public datasets), repeated with the copy's number in the question so no two
//   items share more than the prompt's own header: ITEMS per benchmark (default 16).
// - eval: tokens scored/s = tokens run through forward passes (an item's shared prefix once) per
//   second of `evaluateItems`; also the requests' tokens/s (every choice's whole request, which is
//   what a scorer without state sharing would have to evaluate).
// - collect: the collector's engine (`openLlamaEngine`, what `slm-energy collect` runs) prefills
//   every item's context (BOS + context + first choice) once, genTokens 0; prefill tokens/s =
//   prompt tokens / prefill time.
// Each side runs REPEAT rounds (default 5), alternating; medians are printed.
// Usage: node bench/eval/run.mjs   (after `npm run build`)   THREADS=2 REPEAT=3 ITEMS=32 node …
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dist = (p) => join(root, "dist", p);
const { writeSyntheticGguf } = await import(dist("gguf/index.js"));
const { parseTaskJsonl } = await import(dist("eval/index.js"));
const { evaluateItems, encodeItems } = await import(dist("eval/evaluate.js"));
const { openLlamaScorer } = await import(dist("io/llama/scorer.js"));
const { openLlamaEngine } = await import(dist("io/llama/engine.js"));

const THREADS = Number(process.env.THREADS ?? 1);
const REPEAT = Number(process.env.REPEAT ?? 5);
const ITEMS = Number(process.env.ITEMS ?? 16);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** ITEMS items per benchmark from the real fixture lines, each copy's question numbered. */
function benchItems() {
  const out = [];
  for (const format of ["mmlu", "hellaswag", "winogrande"]) {
    const lines = readFileSync(join(root, "test/fixtures/eval", `${format}.jsonl`), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "");
    const docs = [];
    for (const l of lines) {
      try {
        docs.push(JSON.parse(l));
      } catch {
        // the fixtures' deliberately broken lines
      }
    }
    const copies = [];
    for (let i = 0; copies.length < ITEMS * 2; i++) {
      const d = { ...docs[i % docs.length] };
      if (format === "mmlu") d.question = `(${i}) ${d.question}`;
      if (format === "hellaswag") d.ctx_a = `(${i}) ${d.ctx_a ?? d.ctx}`;
      if (format === "winogrande") d.sentence = `(${i}) ${d.sentence}`;
      copies.push(JSON.stringify(d));
    }
    out.push(...parseTaskJsonl(copies.join("\n"), format, ITEMS).items);
  }
  return out;
}

const scratch = mkdtempSync(join(tmpdir(), "slm-bench-eval-"));
try {
  const modelPath = join(scratch, "bench.gguf");
  const spec = {
    name: "bench",
    layers: 6,
    hidden: 384,
    ffn: 1024,
    heads: 6,
    kvHeads: 6,
    vocab: 16000,
    quant: "Q8_0",
    seed: 7,
  };
  await writeSyntheticGguf(spec, modelPath);
  const items = benchItems();
  const lm = await openLlamaScorer({ modelPath, threads: THREADS });
  const engine = await openLlamaEngine({ modelPath, threads: THREADS });
  const { requests } = encodeItems(lm, items);
  const requestTokens = requests
    .flat()
    .reduce((a, r) => a + (lm.bos === null ? 0 : 1) + r.contextTokens.length + r.continuationTokens.length - 1, 0);
  const prompts = requests.map((reqs) =>
    [lm.bos, ...reqs[0].contextTokens, ...reqs[0].continuationTokens].filter((t) => t !== null),
  );
  await engine.prepare(Math.max(...prompts.map((p) => p.length)) + 1);
  await lm.scoreContinuation(prompts[0].slice(1, 4), prompts[0].slice(4, 5)); // creates the context
  const evalRates = [];
  const requestRates = [];
  const prefillRates = [];
  for (let round = 0; round < REPEAT; round++) {
    const before = lm.evaluatedTokens();
    const t0 = performance.now();
    await evaluateItems(lm, items);
    const s = (performance.now() - t0) / 1000;
    evalRates.push((lm.evaluatedTokens() - before) / s);
    requestRates.push(requestTokens / s);
    let tokens = 0;
    let ms = 0;
    for (const p of prompts) {
      const t = await engine.infer(p, 0);
      tokens += t.promptTokens;
      ms += t.prefillMs;
    }
    prefillRates.push(tokens / (ms / 1000));
    process.stderr.write(
      `round ${round + 1}/${REPEAT}: eval ${evalRates.at(-1).toFixed(0)} tok/s, prefill ${prefillRates.at(-1).toFixed(0)} tok/s\n`,
    );
  }
  await lm.dispose();
  await engine.dispose();
  const e = median(evalRates);
  const r = median(requestRates);
  const p = median(prefillRates);
  console.log(
    `model: synthetic GGUF (${spec.layers} layers × ${spec.hidden}, vocab ${spec.vocab}, ${spec.quant}); ${items.length} items (mmlu, hellaswag, winogrande × ${ITEMS}); ${THREADS} thread(s); load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
  console.log(`eval, forward-pass tokens/s (median of ${REPEAT}):   ${e.toFixed(0)}`);
  console.log(`eval, requests' tokens/s (as if nothing shared):  ${r.toFixed(0)}`);
  console.log(`collect, prefill tokens/s (median of ${REPEAT}):  ${p.toFixed(0)}`);
  console.log(
    `eval: ${e.toFixed(0)} tokens scored/s vs collect prefill ${p.toFixed(0)} tokens/s: ${((100 * e) / p).toFixed(0)}% (goal ≥ 50%)`,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
