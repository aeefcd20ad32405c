import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gguf as hfGguf } from "@huggingface/gguf";
import {
  GgufValueType,
  dequantizeQ4_0,
  dequantizeQ8_0,
  metaValue,
  planTensors,
  readGgufHeader,
  tokenTraffic,
  writeSyntheticGguf,
  type SyntheticModelSpec,
} from "../../src/gguf/index.js";
import { SlmError } from "../../src/errors.js";

const dir = mkdtempSync(join(tmpdir(), "slm-gguf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tiny = (quant: SyntheticModelSpec["quant"], extra: Partial<SyntheticModelSpec> = {}): SyntheticModelSpec => ({
  name: `tiny-${quant}`,
  layers: 2,
  hidden: 64,
  ffn: 160,
  heads: 4,
  kvHeads: 2,
  vocab: 600,
  quant,
  ...extra,
});

describe("writeSyntheticGguf", () => {
  for (const quant of ["F16", "Q8_0", "Q4_0"] as const) {
    it(`round-trips the header of a ${quant} model through our reader`, async () => {
      const spec = tiny(quant);
      const path = join(dir, `rt-${quant}.gguf`);
      const w = await writeSyntheticGguf(spec, path);
      const h = readGgufHeader(path);
      expect(h.version).toBe(3);
      expect(h.fileBytes).toBe(statSync(path).size);
      expect(w.fileBytes).toBe(h.fileBytes);
      expect(metaValue(h, "general.architecture")).toBe("llama");
      expect(metaValue(h, "llama.block_count")).toBe(2);
      expect(metaValue(h, "llama.embedding_length")).toBe(64);
      expect(metaValue(h, "llama.feed_forward_length")).toBe(160);
      expect(metaValue(h, "llama.attention.head_count")).toBe(4);
      expect(metaValue(h, "llama.attention.head_count_kv")).toBe(2);
      expect(metaValue(h, "llama.rope.dimension_count")).toBe(16);
      expect(h.metadata.get("llama.attention.layer_norm_rms_epsilon")?.type).toBe(GgufValueType.FLOAT32);
      const tokens = metaValue(h, "tokenizer.ggml.tokens") as string[];
      expect(tokens).toHaveLength(600);
      expect(tokens.slice(0, 4)).toEqual(["<unk>", "<s>", "</s>", "<0x00>"]);
      expect(tokens[3 + 255]).toBe("<0xFF>");
      const plan = planTensors(spec);
      expect(h.tensors.map((t) => [t.name, t.dims, t.typeName])).toEqual(plan.map((t) => [t.name, t.dims, t.type]));
      // Offsets contiguous, aligned to 32, data section ends at the end of the file.
      let expected = 0;
      for (const t of h.tensors) {
        expect(t.offset).toBe(expected);
        expected += Math.ceil(t.bytes! / 32) * 32;
      }
      expect(h.dataOffset % 32).toBe(0);
      expect(h.dataOffset + expected).toBe(h.fileBytes);
    });
  }

  it("agrees with an independent parser (@huggingface/gguf)", async () => {
    const path = join(dir, "hf.gguf");
    await writeSyntheticGguf(tiny("Q8_0", { tiedEmbeddings: true }), path);
    const { metadata, tensorInfos } = await hfGguf(path, { allowLocalFile: true });
    expect(metadata["general.architecture"]).toBe("llama");
    expect(Number(metadata["llama.block_count"])).toBe(2);
    expect(tensorInfos.map((t) => t.name)).toEqual(readGgufHeader(path).tensors.map((t) => t.name));
    expect(tensorInfos.some((t) => t.name === "output.weight")).toBe(false);
    expect(tensorInfos.find((t) => t.name === "blk.1.ffn_down.weight")?.shape.map(Number)).toEqual([160, 64]);
  });

  it("writes byte-identical files for the same spec and seed, different ones for another seed", async () => {
    const a = join(dir, "a.gguf");
    const b = join(dir, "b.gguf");
    const c = join(dir, "c.gguf");
    await writeSyntheticGguf(tiny("Q4_0"), a);
    await writeSyntheticGguf(tiny("Q4_0"), b);
    await writeSyntheticGguf(tiny("Q4_0", { seed: 7 }), c);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    expect(readFileSync(a).equals(readFileSync(c))).toBe(false);
  });

  it("stores weights whose dequantized spread matches the intended 1/sqrt(fan-in)", async () => {
    for (const quant of ["Q8_0", "Q4_0"] as const) {
      const path = join(dir, `spread-${quant}.gguf`);
      await writeSyntheticGguf(tiny(quant), path);
      const h = readGgufHeader(path);
      const t = h.tensors.find((x) => x.name === "blk.0.ffn_up.weight")!;
      const bytes = readFileSync(path).subarray(h.dataOffset + t.offset, h.dataOffset + t.offset + t.bytes!);
      const values = quant === "Q8_0" ? dequantizeQ8_0(bytes, t.elements / 32) : dequantizeQ4_0(bytes, t.elements / 32);
      const mean = values.reduce((a, v) => a + v, 0) / values.length;
      const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
      expect(Math.abs(mean)).toBeLessThan(0.01);
      expect(std).toBeGreaterThan(0.125 * 0.9); // 1/sqrt(64)
      expect(std).toBeLessThan(0.125 * 1.1);
    }
  });

  it("computes bytes per decoded token from the header (embedding row only, unless tied)", async () => {
    const untied = join(dir, "untied.gguf");
    const tied = join(dir, "tied.gguf");
    await writeSyntheticGguf(tiny("Q8_0"), untied);
    await writeSyntheticGguf(tiny("Q8_0", { tiedEmbeddings: true }), tied);
    const u = tokenTraffic(readGgufHeader(untied));
    const t = tokenTraffic(readGgufHeader(tied));
    const embBytes = (64 * 600 * 34) / 32;
    expect(u.weightBytesPerToken).toBeCloseTo(u.weightBytes - embBytes + embBytes / 600, 6);
    expect(t.weightBytesPerToken).toBe(t.weightBytes);
    expect(u.bitsPerWeight).toBeGreaterThan(8.5); // norms are F32
    expect(u.bitsPerWeight).toBeLessThan(8.7);
    expect(u.kvBytesPerContextToken).toBe(2 * 2 * 2 * 16 * 2);
    expect(u.quantization).toBe("Q8_0");
  });

  it("refuses shapes ggml cannot run, naming the quantity in domain words (the CLI names its flags)", async () => {
    await expect(writeSyntheticGguf(tiny("Q8_0", { hidden: 48 }), join(dir, "x.gguf"))).rejects.toThrow(
      /multiple of 32/,
    );
    await expect(writeSyntheticGguf(tiny("Q8_0", { kvHeads: 3 }), join(dir, "x.gguf"))).rejects.toThrow(
      /multiple of the KV head count \(3\)/,
    );
    await expect(writeSyntheticGguf(tiny("Q8_0", { vocab: 100 }), join(dir, "x.gguf"))).rejects.toThrow(
      /vocabulary must hold at least/,
    );
  });
});

describe("readGgufHeader on bad files", () => {
  it("names the file and the magic when the file is not GGUF", () => {
    const p = join(dir, "not.gguf");
    writeFileSync(p, "hello, I am a text file");
    try {
      readGgufHeader(p);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SlmError);
      expect((e as SlmError).format()).toMatch(/not\.gguf.*not a GGUF file/s);
    }
  });

  it("reports a truncated model with the tensor that runs past the end", async () => {
    const p = join(dir, "trunc.gguf");
    await writeSyntheticGguf(tiny("Q4_0"), p);
    const bytes = readFileSync(p);
    writeFileSync(p, bytes.subarray(0, bytes.length - 1000));
    expect(() => readGgufHeader(p)).toThrow(/past the end of the file/);
    writeFileSync(p, bytes.subarray(0, 5000));
    expect(() => readGgufHeader(p)).toThrow(/truncated GGUF header|past the end/);
  });
});

describe("--like: catalog shapes scaled by parameters", () => {
  it("scales TinyLlama to ≈10% of its parameters, keeping layers and heads", async () => {
    const { catalogArchitecture, scaledSpec, specParameterCount, validateSpec } =
      await import("../../src/gguf/index.js");
    const { projectRoot } = await import("../../src/io/project-root.js");
    const arch = catalogArchitecture(projectRoot(), "tinyllama-1.1b");
    const full = scaledSpec(arch, 1, "Q8_0", "full");
    expect(specParameterCount(full)).toBeCloseTo(1_100_048_384, -3); // the checkpoint's count
    const s = scaledSpec(arch, 0.1, "Q4_0", "tenth");
    validateSpec(s);
    expect(s.layers).toBe(22);
    expect(s.heads).toBe(32);
    expect(s.kvHeads).toBe(4);
    expect(specParameterCount(s) / 1_100_048_384).toBeGreaterThan(0.09);
    expect(specParameterCount(s) / 1_100_048_384).toBeLessThan(0.11);
    for (const id of ["llama-3.2-1b", "gemma-2-2b", "phi-3-mini"]) {
      for (const scale of [0.01, 0.05, 0.3])
        validateSpec(scaledSpec(catalogArchitecture(projectRoot(), id), scale, "Q4_0", id));
    }
  });
});
