import { resolve } from "node:path";
import type { Command, CommandContext } from "../command.js";
import { optFlag, optInt, optNumber, optString } from "../command.js";
import { usageError } from "../../errors.js";
import { ProgressBar } from "../progress.js";
import {
  WRITABLE_QUANTS,
  metaValue,
  catalogArchitecture,
  specParameterCount,
  readGgufHeader,
  scaledSpec,
  tokenTraffic,
  validateSpec,
  writeSyntheticGguf,
  type SyntheticModelSpec,
  type WritableQuant,
} from "../../gguf/index.js";

const usage = `Usage:
  slm-energy gguf synth --layers L --hidden H --ffn F --heads N --kv-heads K --vocab V
                        --quant F16|Q8_0|Q4_0 --out FILE [--head-dim D] [--tied] [--context C]
                        [--seed S] [--name NAME] [--json]
  slm-energy gguf synth --like MODEL [--scale S] --quant F16|Q8_0|Q4_0 --out FILE [--seed S] [--json]
  slm-energy gguf info FILE [--json]

synth  Writes a llama-architecture GGUF (v3) file with seeded random weights: real shapes, real
       quantization (Q8_0: f16 scale + 32 int8; Q4_0: f16 scale + 16 bytes of nibbles; norms F32),
       meaningless output. llama.cpp / node-llama-cpp load it offline. Every matrix, output head
       included, has the --quant type (real Q4_0 files keep the output head in Q6_K).
       Same options and seed give byte-identical files.
  --like MODEL   a model of the catalog (data/catalog/models.json): tinyllama-1.1b,
                 llama-3.2-1b, gemma-2-2b, phi-3-mini; its architecture, as a llama-architecture file
  --scale S      (0, 1], default 1: keeps layers and heads, multiplies widths and vocabulary by √S,
                 so the parameter count scales by ≈ S
  --tied         output head shares the token embedding (no output.weight)
  --context C    llama.context_length (default 2048)

info   Prints a GGUF file's header summary: architecture, shape, tensor types, parameters, bytes
       read per decoded token (weights; KV cache per context token).

Exit codes: 0 ok, 1 failure, 2 bad input or usage.`;

/** A positive integer option (`required`: a usage error when absent). */
function intOpt(ctx: CommandContext, name: string, required: boolean): number | undefined {
  const v = optInt(ctx, name, { min: 1 });
  if (v === undefined && required) throw usageError(`--${name} is required`, "run `slm-energy gguf --help`");
  return v;
}

function quantOpt(ctx: CommandContext): WritableQuant {
  const q = optString(ctx, "quant");
  if (q === undefined) throw usageError("--quant is required", `one of ${WRITABLE_QUANTS.join(", ")}`);
  const up = q.toUpperCase();
  if (!(WRITABLE_QUANTS as readonly string[]).includes(up))
    throw usageError(`--quant must be one of ${WRITABLE_QUANTS.join(", ")}, got "${q}"`);
  return up as WritableQuant;
}

/** The spec the synth options describe (exported for the sweep and tests). */
export function specFromOptions(ctx: CommandContext): SyntheticModelSpec {
  const quant = quantOpt(ctx);
  const like = optString(ctx, "like");
  const seed = optInt(ctx, "seed", { min: 0 });
  let spec: SyntheticModelSpec;
  if (like !== undefined) {
    for (const o of ["layers", "hidden", "ffn", "heads", "kv-heads", "vocab", "head-dim"]) {
      if (ctx.values[o] !== undefined)
        throw usageError(`--${o} cannot be combined with --like`, "use --like with --scale, or give the full shape");
    }
    const scale = optNumber(ctx, "scale", { min: 0, exclusiveMin: true, max: 1 }) ?? 1;
    const shape = catalogArchitecture(ctx.root, like);
    spec = scaledSpec(shape, scale, quant, optString(ctx, "name") ?? `synthetic ${like} ×${scale} ${quant}`);
  } else {
    if (ctx.values.scale !== undefined) throw usageError("--scale needs --like MODEL");
    const headDim = intOpt(ctx, "head-dim", false);
    const context = intOpt(ctx, "context", false);
    spec = {
      name: optString(ctx, "name") ?? "synthetic llama",
      layers: intOpt(ctx, "layers", true)!,
      hidden: intOpt(ctx, "hidden", true)!,
      ffn: intOpt(ctx, "ffn", true)!,
      heads: intOpt(ctx, "heads", true)!,
      kvHeads: intOpt(ctx, "kv-heads", true)!,
      vocab: intOpt(ctx, "vocab", true)!,
      quant,
      tiedEmbeddings: optFlag(ctx, "tied"),
      ...(headDim === undefined ? {} : { headDim }),
      ...(context === undefined ? {} : { contextLength: context }),
    };
  }
  if (seed !== undefined) spec.seed = seed;
  validateSpec(spec);
  return spec;
}

const fmtBytes = (b: number): string =>
  b >= 2 ** 30
    ? `${(b / 2 ** 30).toFixed(2)} GiB`
    : b >= 2 ** 20
      ? `${(b / 2 ** 20).toFixed(1)} MiB`
      : `${(b / 1024).toFixed(1)} KiB`;

async function synth(ctx: CommandContext): Promise<number> {
  const out = optString(ctx, "out");
  if (out === undefined) throw usageError("--out FILE is required");
  const spec = specFromOptions(ctx);
  // The one progress bar of the CLI, in MiB written (drawn only on a terminal, never with --json).
  let bar: ProgressBar | null = null;
  const written = await writeSyntheticGguf(spec, resolve(out), {
    onProgress: (p) => {
      if (optFlag(ctx, "json")) return;
      bar ??= ProgressBar.onStderr(Math.max(1, Math.ceil(p.totalBytes / 2 ** 20)), ctx.stderr);
      bar.update(Math.floor(p.bytesWritten / 2 ** 20), "MiB written");
    },
  });
  (bar as ProgressBar | null)?.finish();
  const traffic = tokenTraffic(readGgufHeader(written.path));
  const summary = {
    path: written.path,
    spec,
    parameters: specParameterCount(spec),
    file_bytes: written.fileBytes,
    weight_bytes_per_token: traffic.weightBytesPerToken,
    bits_per_weight: traffic.bitsPerWeight,
  };
  if (optFlag(ctx, "json")) ctx.stdout(JSON.stringify(summary, null, 2) + "\n");
  else {
    ctx.stdout(
      `wrote ${written.path}: ${spec.layers} layers, hidden ${spec.hidden}, ffn ${spec.ffn}, ` +
        `${spec.heads}/${spec.kvHeads} heads, vocab ${spec.vocab}, ${spec.quant}; ` +
        `${(summary.parameters / 1e6).toFixed(1)} M parameters, ${fmtBytes(written.fileBytes)}, ` +
        `${fmtBytes(traffic.weightBytesPerToken)} read per decoded token\n`,
    );
  }
  return 0;
}

function info(ctx: CommandContext): number {
  const file = ctx.positionals[1];
  if (file === undefined) throw usageError("gguf info needs a FILE", "slm-energy gguf info model.gguf");
  const h = readGgufHeader(resolve(file));
  const t = tokenTraffic(h);
  const arch = t.architecture;
  const pick = (k: string): unknown => metaValue(h, `${arch}.${k}`) ?? null;
  const types: Record<string, number> = {};
  for (const x of h.tensors) types[x.typeName ?? `type${x.type}`] = (types[x.typeName ?? `type${x.type}`] ?? 0) + 1;
  const summary = {
    file: h.file,
    version: h.version,
    name: metaValue(h, "general.name") ?? null,
    architecture: arch,
    layers: pick("block_count"),
    hidden: pick("embedding_length"),
    ffn: pick("feed_forward_length"),
    heads: pick("attention.head_count"),
    kv_heads: pick("attention.head_count_kv"),
    context_length: pick("context_length"),
    vocab: (metaValue(h, "tokenizer.ggml.tokens") as unknown[] | undefined)?.length ?? null,
    tensors: h.tensors.length,
    tensor_types: types,
    quantization: t.quantization,
    parameters: t.parameters,
    file_bytes: h.fileBytes,
    weight_bytes: t.weightBytes,
    bits_per_weight: t.bitsPerWeight,
    tied_output: t.tiedOutput,
    weight_bytes_per_token: t.weightBytesPerToken,
    kv_bytes_per_context_token: t.kvBytesPerContextToken,
  };
  if (optFlag(ctx, "json")) ctx.stdout(JSON.stringify(summary, null, 2) + "\n");
  else {
    const w = Math.max(...Object.keys(summary).map((k) => k.length));
    for (const [k, v] of Object.entries(summary))
      ctx.stdout(`${k.padEnd(w)}  ${typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}\n`);
  }
  return 0;
}

export const ggufCommand: Command = {
  name: "gguf",
  summary: "write synthetic GGUF models (random weights, real shapes) and read GGUF headers",
  usage,
  allowPositionals: true,
  options: {
    layers: { type: "string" },
    hidden: { type: "string" },
    ffn: { type: "string" },
    heads: { type: "string" },
    "kv-heads": { type: "string" },
    vocab: { type: "string" },
    "head-dim": { type: "string" },
    context: { type: "string" },
    quant: { type: "string" },
    tied: { type: "boolean" },
    like: { type: "string" },
    scale: { type: "string" },
    seed: { type: "string" },
    name: { type: "string" },
    out: { type: "string" },
    json: { type: "boolean" },
  },
  async run(ctx) {
    const sub = ctx.positionals[0];
    if (sub === "synth") {
      if (ctx.positionals.length > 1)
        throw usageError(`unexpected argument "${ctx.positionals[1]}"`, "give the output with --out FILE");
      return synth(ctx);
    }
    if (sub === "info") return info(ctx);
    throw usageError(
      sub === undefined ? "gguf needs a subcommand: synth or info" : `unknown gguf subcommand "${sub}"`,
      "run `slm-energy gguf --help`",
    );
  },
};
