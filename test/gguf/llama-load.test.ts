import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeSyntheticGguf, type SyntheticModelSpec } from "../../src/gguf/index.js";

const dir = mkdtempSync(join(tmpdir(), "slm-gguf-llama-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("synthetic GGUF in llama.cpp (node-llama-cpp, CPU, offline)", () => {
  it("loads F16, Q8_0 and Q4_0 files, tokenizes text and generates tokens", async () => {
    const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
    const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
    for (const quant of ["F16", "Q8_0", "Q4_0"] as const) {
      const spec: SyntheticModelSpec = {
        name: `load-${quant}`,
        layers: 2,
        hidden: 128,
        ffn: 256,
        heads: 4,
        kvHeads: 2,
        vocab: 1000,
        quant,
        tiedEmbeddings: quant === "Q8_0",
      };
      const path = join(dir, `${quant}.gguf`);
      await writeSyntheticGguf(spec, path);
      const model = await llama.loadModel({ modelPath: path });
      try {
        expect(model.fileInfo.metadata.general.architecture).toBe("llama");
        const tokens = model.tokenize("the quick brown fox jumps over the lazy dog");
        expect(tokens.length).toBeGreaterThan(5);
        expect(tokens.length).toBeLessThan(40);
        expect(model.detokenize(tokens)).toBe("the quick brown fox jumps over the lazy dog");
        const context = await model.createContext({ contextSize: 128, threads: 1 });
        const seq = context.getSequence();
        const out: number[] = [];
        for await (const t of seq.evaluate(tokens, { temperature: 0 })) {
          out.push(t);
          if (out.length >= 4) break;
        }
        expect(out).toHaveLength(4);
        for (const t of out) expect(t).toBeLessThan(1000);
        await context.dispose();
      } finally {
        await model.dispose();
      }
    }
  });
});
