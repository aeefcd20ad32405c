import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { findModel, parameterCountFromArchitecture, type Architecture } from "../../src/catalog/index.js";
import { loadModelCatalog, loadQuantCatalog } from "../../src/io/catalog/index.js";
import { inventoryFromArchitecture, useMoreBits } from "../../src/model/tensors.js";
import { decodeBytesPerToken, modelPhysics, prefillFlopsTotal } from "../../src/model/physics.js";
import { GGML_BLOCK, GgmlType } from "../../src/gguf/types.js";

const root = join(import.meta.dirname, "..", "..");
const models = loadModelCatalog(root);
const quants = loadQuantCatalog(root);

const llama3_8b: Architecture = {
  layers: 32,
  hidden: 4096,
  ffn: 14336,
  heads: 32,
  kvHeads: 8,
  headDim: 128,
  vocab: 128256,
  tiedEmbeddings: false,
  contextLength: 8192,
  slidingWindow: null,
  normsPerLayer: 2,
  fusedQkv: false,
  fusedGateUp: false,
};

describe("bytes of a GGUF file from architecture and quantization", () => {
  it.each([
    ["tinyllama-1.1b", "Q4_0", 637_700_138],
    ["llama-3.2-1b", "Q8_0", 1_321_098_329],
    ["gemma-2-2b", "Q4_0", 1_629_518_495],
    ["phi-3-mini", "Q4_0", 2_176_178_913],
  ])("%s %s tensor data is within 1%% below Ollama's %i-byte file (the rest is metadata)", (id, quant, fileBytes) => {
    const m = findModel(models, id);
    const inv = inventoryFromArchitecture(m.architecture, quant, quants);
    const bytes = inv.tensors.reduce((a, t) => a + t.bytes, 0);
    expect(bytes).toBeLessThan(fileBytes);
    expect((fileBytes - bytes) / fileBytes).toBeLessThan(0.01);
  });

  it("keeps the output head of a Q4_0 file in Q6_K, and a tied Q4_0 embedding in Q6_K too", () => {
    const tiny = inventoryFromArchitecture(findModel(models, "tinyllama-1.1b").architecture, "Q4_0", quants);
    expect(tiny.tensors.find((t) => t.name === "output.weight")?.type).toBe("Q6_K");
    expect(tiny.tensors.find((t) => t.name === "token_embd.weight")?.type).toBe("Q4_0");
    const gemma = inventoryFromArchitecture(findModel(models, "gemma-2-2b").architecture, "Q4_0", quants);
    expect(gemma.tensors.find((t) => t.name === "token_embd.weight")?.type).toBe("Q6_K");
  });

  it("counts every parameter once", () => {
    for (const m of models.models) {
      const inv = inventoryFromArchitecture(m.architecture, "F16", quants);
      expect(inv.tensors.reduce((a, t) => a + t.elements, 0)).toBe(parameterCountFromArchitecture(m.architecture));
    }
  });

  it.each([
    ["Q4_K_M", 4.89],
    ["Q5_K_M", 5.7],
    ["Q8_0", 8.5],
    ["F16", 16.0],
  ])("gives an 8B Llama %s the published whole-file average of %d bits per weight", (quant, bpw) => {
    const inv = inventoryFromArchitecture(llama3_8b, quant, quants);
    const bytes = inv.tensors.reduce((a, t) => a + t.bytes, 0);
    const params = inv.tensors.reduce((a, t) => a + t.elements, 0);
    expect((8 * bytes) / params).toBeCloseTo(bpw, 1);
  });

  it("raises attn_v and ffn_down to Q6_K on llama.cpp's use_more_bits layers under Q4_K_M", () => {
    expect(
      Array.from({ length: 16 }, (_, i) => useMoreBits(i, 16))
        .map(Number)
        .join(""),
    ).toBe("1100100100100111");
    const inv = inventoryFromArchitecture(findModel(models, "llama-3.2-1b").architecture, "Q4_K_M", quants);
    expect(inv.tensors.find((t) => t.name === "blk.0.attn_v.weight")?.type).toBe("Q6_K");
    expect(inv.tensors.find((t) => t.name === "blk.2.attn_v.weight")?.type).toBe("Q4_K");
    expect(inv.tensors.find((t) => t.name === "blk.2.attn_q.weight")?.type).toBe("Q4_K");
  });

  it("agrees with the GGUF reader's block table and type ids; MLC's formats are not ggml types", () => {
    for (const t of quants.tensorTypes) {
      const b = GGML_BLOCK[t.name as keyof typeof GGML_BLOCK];
      if (t.ggmlType === null) {
        expect(t.name, t.name).toMatch(/^MLC_/);
        expect(b, t.name).toBeUndefined();
        continue;
      }
      expect(b, t.name).toEqual({ elements: t.blockSize, bytes: t.bytesPerBlock });
      expect(GgmlType[t.name as keyof typeof GgmlType], t.name).toBe(t.ggmlType);
    }
  });
});

describe("bytes and FLOPs per token", () => {
  it("reads the untied TinyLlama's weights once per token but its embedding as one row", () => {
    const m = findModel(models, "tinyllama-1.1b");
    const inv = inventoryFromArchitecture(m.architecture, "Q4_0", quants);
    const p = modelPhysics(inv, m.architecture);
    const embd = inv.tensors.find((t) => t.role === "token_embd")!;
    expect(p.decodeWeightBytesPerToken).toBe(p.weightBytes - embd.bytes + embd.bytes / 32000);
    // 2048 hidden × 18/32 bytes per Q4_0 weight = one embedding row of 1152 bytes
    expect(embd.bytes / 32000).toBe(1152);
  });

  it("reads Llama 3.2's tied embedding in full as the output head", () => {
    const m = findModel(models, "llama-3.2-1b");
    const p = modelPhysics(inventoryFromArchitecture(m.architecture, "Q8_0", quants), m.architecture);
    expect(p.decodeWeightBytesPerToken).toBeGreaterThan(p.weightBytes);
    expect(p.headFlopsPerToken).toBe(2 * 128256 * 2048);
  });

  it("grows the bytes of a decoded token by the KV cache: 384 KiB per context token for Phi-3", () => {
    const m = findModel(models, "phi-3-mini");
    const p = modelPhysics(inventoryFromArchitecture(m.architecture, "Q4_0", quants), m.architecture);
    expect(decodeBytesPerToken(p, 1000) - decodeBytesPerToken(p, 0)).toBe(1000 * 384 * 1024);
  });

  it("costs 2 FLOPs per matrix weight per prefilled token, plus logits only where scoring needs them", () => {
    const m = findModel(models, "tinyllama-1.1b");
    const p = modelPhysics(inventoryFromArchitecture(m.architecture, "Q4_0", quants), m.architecture);
    const ll = prefillFlopsTotal(p, 100, 0, "loglikelihood");
    const gen = prefillFlopsTotal(p, 100, 0, "generate");
    expect(ll - gen).toBe(99 * p.headFlopsPerToken);
    expect(p.bodyFlopsPerToken).toBe(2 * 22 * (2048 * 2048 * 2 + 2 * 2048 * 256 + 3 * 2048 * 5632));
  });
});

describe("architectures beyond the dense core (corpus models)", () => {
  const arch = (id: string) => findModel(models, id).architecture;
  const typeOf = (id: string, quant: string, name: string) =>
    inventoryFromArchitecture(arch(id), quant, quants).tensors.find((t) => t.name === name)?.type;

  it("counts Qwen2's Q/K/V biases and Qwen3's Q/K norms as llama-bench counts them", () => {
    expect(parameterCountFromArchitecture(arch("qwen2.5-0.5b-instruct"))).toBe(630_167_424);
    expect(parameterCountFromArchitecture(arch("qwen3-0.6b"))).toBe(751_632_384);
    const inv = inventoryFromArchitecture(arch("qwen3-0.6b"), "Q4_K_M", quants);
    expect(inv.tensors.find((t) => t.name === "blk.0.attn_q_norm.weight")).toMatchObject({ dims: [128], type: "F32" });
  });

  it("lets one layer in six of Gemma 3 attend globally, so the window bounds the others' KV reads", () => {
    const a = arch("gemma-3-1b");
    const p = modelPhysics(inventoryFromArchitecture(a, "Q4_K_M", quants), a);
    expect(p.globalLayerFraction).toBe(4 / 26);
    const perToken = p.kvBytesPerContextToken;
    expect(decodeBytesPerToken(p, 10_000)).toBeCloseTo(
      p.decodeWeightBytesPerToken + ((4 / 26) * 10_000 + (22 / 26) * 512) * perToken + perToken,
      3,
    );
    const g2 = findModel(models, "gemma-2-2b").architecture;
    expect(modelPhysics(inventoryFromArchitecture(g2, "Q4_0", quants), g2).globalLayerFraction).toBe(0.5);
  });

  it("follows llama.cpp's mixture rules for the K-quant S/M/L and i-quant file types", () => {
    expect(typeOf("llama-3.2-1b", "Q3_K_M", "blk.1.attn_v.weight")).toBe("Q5_K");
    expect(typeOf("llama-3.2-1b", "Q3_K_M", "blk.2.attn_v.weight")).toBe("Q4_K");
    expect(typeOf("llama-3.2-1b", "Q3_K_L", "blk.5.attn_output.weight")).toBe("Q5_K");
    expect(typeOf("llama-3.2-1b", "Q4_K_S", "blk.0.ffn_down.weight")).toBe("Q5_K");
    expect(typeOf("llama-3.2-1b", "IQ3_XS", "blk.0.attn_q.weight")).toBe("IQ3_XXS");
    expect(typeOf("llama-3.2-1b", "IQ3_XS", "blk.8.ffn_up.weight")).toBe("IQ3_XXS");
    expect(typeOf("llama-3.2-1b", "IQ3_XS", "blk.0.ffn_up.weight")).toBe("IQ3_S");
    expect(typeOf("llama-3.2-1b", "IQ4_NL", "blk.0.attn_v.weight")).toBe("Q5_K");
    expect(typeOf("llama-3.2-1b", "Q2_K", "blk.3.ffn_down.weight")).toBe("Q3_K");
  });

  it("falls back from 256-blocks on Qwen2.5 0.5B's 896-wide rows, and lifts a 70B's attn_v to Q5_K", () => {
    expect(typeOf("qwen2.5-0.5b-instruct", "Q4_K_M", "blk.5.attn_q.weight")).toBe("Q5_0");
    expect(typeOf("qwen2.5-0.5b-instruct", "IQ3_M", "blk.5.attn_q.weight")).toBe("IQ4_NL");
    expect(typeOf("qwen2.5-0.5b-instruct", "Q4_K_M", "output.weight")).toBe("Q8_0");
    expect(typeOf("llama-2-70b", "Q4_K_M", "blk.11.attn_v.weight")).toBe("Q5_K");
    expect(typeOf("llama-2-70b", "Q4_K_M", "blk.12.attn_v.weight")).toBe("Q6_K");
  });

  it("keeps MLC's embedding and output head group-quantized and its norms in F16", () => {
    expect(typeOf("llama-3.1-8b", "MLC_Q4F16_FT", "token_embd.weight")).toBe("MLC_Q4F16_1");
    expect(typeOf("llama-3.1-8b", "MLC_Q4F16_FT", "blk.0.attn_q.weight")).toBe("MLC_Q4F16_FT");
    expect(typeOf("llama-3.1-8b", "MLC_Q4F16_FT", "blk.0.attn_norm.weight")).toBe("F16");
  });
});
