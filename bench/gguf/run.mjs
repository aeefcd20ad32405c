#!/usr/bin/env node
// Benchmark: writing a synthetic GGUF model (tinyllama shape ×0.3, Q8_0, ~350 MB) with slm-energy's
// streaming writer against the naive baseline that builds the whole file in memory and writes it
// at once, in the same run, each in its own process so peak memory (max RSS) is its own. Both
// files must be byte-identical. Goal: peak memory flat (≈ 100 MB) whatever the model size, and
// no slower than the in-memory baseline.
// Usage: node bench/gguf/run.mjs [scale] [quant]   (after `npm run build`)
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const [scale = "0.3", quant = "Q8_0", mode] = process.argv.slice(2);

if (mode === "stream" || mode === "memory") {
  // Child: write one file, print JSON {s, maxRssMB}.
  const out = process.argv[5];
  const g = await import(join(root, "dist", "gguf", "index.js"));
  const rng = await import(join(root, "dist", "gguf", "rng.js"));
  const spec = g.scaledSpec(g.catalogArchitecture(root, "tinyllama-1.1b"), Number(scale), quant, "bench");
  const t0 = performance.now();
  if (mode === "stream") {
    await g.writeSyntheticGguf(spec, out);
  } else {
    const plan = g.planTensors(spec);
    const { infos, dataBytes } = g.layoutTensors(plan.map((t) => ({ name: t.name, dims: t.dims, type: g.GgmlType[t.type], bytes: t.bytes })), 32);
    const header = g.encodeGgufHeader(g.syntheticMetadata(spec), infos, 32);
    const file = Buffer.alloc(header.length + dataBytes);
    header.copy(file, 0);
    for (let i = 0; i < plan.length; i++) {
      const t = plan[i];
      const values = new Float32Array(t.elements);
      if (t.init === "ones") values.fill(1);
      else rng.fillUniform(values, rng.mulberry32(rng.hashSeed(spec.seed ?? 1, t.name)), 1 / Math.sqrt(t.dims[0]));
      const dst = file.subarray(header.length + infos[i].offset);
      if (t.type === "Q8_0") g.quantizeQ8_0(values, dst);
      else if (t.type === "Q4_0") g.quantizeQ4_0(values, dst);
      else if (t.type === "F16") g.encodeF16(values, dst);
      else g.encodeF32(values, dst);
    }
    (await import("node:fs")).writeFileSync(out, file);
  }
  const s = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ s, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

const sha = (p) =>
  new Promise((res, rej) => {
    const h = createHash("sha256");
    createReadStream(p).on("data", (d) => h.update(d)).on("end", () => res(h.digest("hex"))).on("error", rej);
  });
const scratch = mkdtempSync(join(tmpdir(), "slm-bench-gguf-"));
try {
  const run = (m) => {
    const out = join(scratch, `${m}.gguf`);
    const r = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), scale, quant, m, out], { encoding: "utf8", maxBuffer: 1 << 20 }));
    return { ...r, out, bytes: statSync(out).size };
  };
  const stream = run("stream");
  const memory = run("memory");
  const same = (await sha(stream.out)) === (await sha(memory.out));
  const mb = stream.bytes / 1e6;
  console.log(`synthetic tinyllama ×${scale} ${quant}: ${mb.toFixed(0)} MB file`);
  console.log(`                      wall s   MB/s   peak RSS MB`);
  console.log(`streaming writer    ${stream.s.toFixed(2).padStart(8)} ${(mb / stream.s).toFixed(0).padStart(6)} ${stream.maxRssMB.toFixed(0).padStart(13)}`);
  console.log(`in-memory baseline  ${memory.s.toFixed(2).padStart(8)} ${(mb / memory.s).toFixed(0).padStart(6)} ${memory.maxRssMB.toFixed(0).padStart(13)}`);
  console.log(`byte-identical: ${same ? "yes" : "NO"}`);
  if (!same) process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
