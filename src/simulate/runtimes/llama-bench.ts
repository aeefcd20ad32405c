/**
 * llama-bench `-o json`: an array of tests, each `r` repetitions run back to back, with
 * `avg_ns`, `stddev_ns`, `samples_ns` and `samples_ts`; `test_time` is the test's start to the
 * second. A `pp<n>` test only prefills, a `tg<n>` test only decodes. The manifest places the tests
 * from the first one's start with the gap between tests; each test's energy is shared out per
 * repetition. (No warm-up run is simulated: pass `--no-warmup`-style runs, or the placement
 * would be off by the warm-up.)
 */
import type { TimedJob } from "../schedule.js";
import { GGUF_NAMES, type RuntimeContext, type RuntimeOutput, type RuntimeSpec, type TruthRecord } from "./types.js";

interface BenchStats {
  first: TimedJob;
  nPrompt: number;
  nGen: number;
  samplesNs: number[];
  avgNs: number;
  sd: number;
  ts: number[];
  avgTs: number;
  sdTs: number;
}

/** One test's object as llama-bench prints it. */
function benchObject(ctx: RuntimeContext, t: BenchStats): Record<string, unknown> {
  const { first, nPrompt, nGen, samplesNs, avgNs, sd, ts, avgTs, sdTs } = t;
  return {
    build_commit: "eb7cf15a",
    build_number: 4589,
    cpu_info: "ARM Cortex-A76",
    gpu_info: "",
    backends: "CPU",
    model_filename: `models/${GGUF_NAMES[ctx.model]}-${ctx.quantization}.gguf`,
    model_type: `${ctx.model} ${ctx.quantization}`,
    model_size: 0,
    model_n_params: 0,
    n_batch: 2048,
    n_ubatch: 512,
    n_threads: 4,
    n_gpu_layers: 0,
    n_prompt: nPrompt,
    n_gen: nGen,
    test_time: new Date(Math.floor(first.startS) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
    avg_ns: avgNs,
    stddev_ns: Math.round(sd),
    avg_ts: Number(avgTs.toFixed(6)),
    stddev_ts: Number(sdTs.toFixed(6)),
    samples_ns: samplesNs,
    samples_ts: ts.map((x) => Number(x.toFixed(6))),
  };
}

export function writeLlamaBench(ctx: RuntimeContext & { repetitions: number }): RuntimeOutput {
  const r = ctx.repetitions;
  const tests: TimedJob[][] = [];
  for (let i = 0; i < ctx.jobs.length; i += r) tests.push(ctx.jobs.slice(i, i + r));
  const objects: string[] = [];
  let printedSum = 0;
  const t0 = ctx.jobs[0]!.startS;
  const records: TruthRecord[] = tests.map((reps, k) => {
    const first = reps[0]!;
    const pp = first.decodeS === 0;
    const nPrompt = pp ? first.promptTokens : 0;
    const nGen = pp ? 0 : first.genTokens;
    const samplesNs = reps.map((j) => Math.round(j.latencyS * 1e9));
    const avgNs = Math.round(samplesNs.reduce((a, b) => a + b, 0) / r);
    const sd = Math.sqrt(samplesNs.reduce((a, b) => a + (b - avgNs) ** 2, 0) / Math.max(1, r - 1));
    const tokens = pp ? nPrompt : nGen;
    const ts = samplesNs.map((ns) => (tokens * 1e9) / ns);
    const avgTs = ts.reduce((a, b) => a + b, 0) / r;
    const sdTs = Math.sqrt(ts.reduce((a, b) => a + (b - avgTs) ** 2, 0) / Math.max(1, r - 1));
    const obj = benchObject(ctx, { first, nPrompt, nGen, samplesNs, avgNs, sd, ts, avgTs, sdTs });
    objects.push(JSON.stringify(obj, null, 2).replace(/^/gm, "  "));
    const energyJ = reps.reduce((s, j) => s + j.energyJ, 0) / r;
    const energyNetJ = reps.reduce((s, j) => s + j.energyNetJ, 0) / r;
    const last = reps[reps.length - 1]!;
    printedSum += (avgNs * r) / 1e9;
    const drift = Math.abs(printedSum - (last.endS - t0 - k * ctx.gapS));
    return {
      index: k,
      itemId: null,
      label: pp ? `pp${nPrompt}` : `tg${nGen}`,
      startS: first.startS,
      endS: last.endS,
      latencyS: reps.reduce((s, j) => s + j.latencyS, 0) / r,
      prefillS: reps.reduce((s, j) => s + j.prefillS, 0) / r,
      decodeS: reps.reduce((s, j) => s + j.decodeS, 0) / r,
      promptTokens: nPrompt,
      genTokens: nGen,
      energyJ,
      energyNetJ,
      correct: null,
      repetitions: r,
      edgeUncertaintyS: drift + 1e-6,
      latencyResolutionS: 1e-9,
    };
  });
  const text = "[\n" + objects.join(",\n") + "\n]\n";
  // First line of each test's object (for damage injection).
  const starts: number[] = [];
  let line = 1;
  for (const o of objects) {
    starts.push(line);
    line += o.split("\n").length;
  }
  return {
    fileName: "llama-bench.json",
    text,
    recordStarts: starts,
    manifest: { inference_format: "llama-bench-json", placement: { start_s: Number(t0.toFixed(6)), gap_s: ctx.gapS } },
    records,
    runtimeLabel: "llama.cpp llama-bench (simulated)",
  };
}

export const llamaBenchRuntime: RuntimeSpec = {
  id: "llama-bench",
  title: "llama-bench JSON",
  placed: true,
  write: (ctx) => writeLlamaBench({ ...ctx, repetitions: 3 }),
};
