import { describe, expect, it } from "vitest";
import { findModel } from "../../src/catalog/models.js";
import type { GgufHeader, GgufTensor } from "../../src/gguf/reader.js";
import { GgufValueType, type GgmlTypeName } from "../../src/gguf/types.js";
import { loadModelCatalog, loadQuantCatalog } from "../../src/io/catalog/index.js";
import { modelFromGguf } from "../../src/model/gguf-model.js";
import { inventoryFromArchitecture } from "../../src/model/tensors.js";
import { ROOT } from "../helpers.js";

const models = loadModelCatalog(ROOT);
const quants = loadQuantCatalog(ROOT);

/** A GGUF header as llama.cpp would write it for a catalog model (tensors from the inventory). */
function headerOf(id: string, quant: string, extra: Record<string, number> = {}): GgufHeader {
  const m = findModel(models, id);
  const a = m.architecture;
  const g = m.ggufArchitecture;
  const u32 = (v: number) => ({ type: GgufValueType.UINT32, value: v });
  const meta: [string, number][] = [
    [`${g}.block_count`, a.layers],
    [`${g}.embedding_length`, a.hidden],
    [`${g}.feed_forward_length`, a.ffn],
    [`${g}.attention.head_count`, a.heads],
    [`${g}.attention.head_count_kv`, a.kvHeads],
    [`${g}.attention.key_length`, a.headDim],
    [`${g}.context_length`, a.contextLength],
    ...Object.entries(extra).map(([k, v]): [string, number] => [`${g}.${k}`, v]),
  ];
  if (a.slidingWindow !== null) meta.push([`${g}.attention.sliding_window`, a.slidingWindow]);
  const metadata = new Map<string, { type: GgufValueType; value: string | number }>([
    ["general.architecture", { type: GgufValueType.STRING, value: g }],
    ...meta.map(([k, v]): [string, { type: GgufValueType; value: number }] => [k, u32(v)]),
  ]);
  const tensors = inventoryFromArchitecture(a, quant, quants).tensors.map(
    (t): GgufTensor =>
      ({
        name: t.name,
        dims: t.dims,
        typeName: t.type as GgmlTypeName,
        elements: t.elements,
        bytes: t.bytes,
      }) as GgufTensor,
  );
  return {
    file: `${id}.gguf`,
    version: 3,
    metadata,
    tensors,
    alignment: 32,
    dataOffset: 0,
    fileBytes: 0,
  } as GgufHeader;
}

describe("an architecture read back from GGUF metadata and tensor names", () => {
  it("finds gpt-oss's experts, biases and sinks, and Qwen3-MoE's expert width", () => {
    const a = findModel(models, "gpt-oss-20b").architecture;
    const g = modelFromGguf(headerOf("gpt-oss-20b", "MXFP4_MOE", { expert_count: 32, expert_used_count: 4 }));
    expect(g.spec.architecture.moe).toEqual(a.moe);
    expect(g.spec.architecture.attentionBias).toBe("qkvo");
    expect(g.spec.architecture.attentionSinks).toBe(true);
    expect(g.spec.parameters.count).toBe(20_914_757_184);
    const q = modelFromGguf(
      headerOf("gpt-oss-20b", "MXFP4_MOE", {
        expert_count: 32,
        expert_used_count: 4,
        feed_forward_length: 6144,
        expert_feed_forward_length: 2880,
      }),
    );
    expect(q.spec.architecture.ffn).toBe(2880);
  });

  it("finds Qwen2's Q/K/V biases and Qwen3's Q/K norms without counting them as layer norms", () => {
    const q2 = modelFromGguf(headerOf("qwen2.5-0.5b-instruct", "Q8_0")).spec;
    expect([q2.architecture.attentionBias, q2.architecture.qkNorm, q2.parameters.count]).toEqual([
      "qkv",
      false,
      630_167_424,
    ]);
    const q3 = modelFromGguf(headerOf("qwen3-0.6b", "Q8_0")).spec;
    expect([q3.architecture.qkNorm, q3.architecture.normsPerLayer, q3.parameters.count]).toEqual([
      true,
      2,
      751_632_384,
    ]);
  });
});
