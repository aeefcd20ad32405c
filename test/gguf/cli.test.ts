import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

const dir = mkdtempSync(join(tmpdir(), "slm-gguf-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe("slm-energy gguf", () => {
  it("synth writes a file that info describes with the same shape", async () => {
    const file = join(dir, "m.gguf");
    const w = await run([
      "gguf",
      "synth",
      "--layers",
      "3",
      "--hidden",
      "64",
      "--ffn",
      "128",
      "--heads",
      "4",
      "--kv-heads",
      "1",
      "--vocab",
      "700",
      "--quant",
      "q4_0",
      "--out",
      file,
      "--json",
    ]);
    expect(w.code).toBe(0);
    const written = JSON.parse(w.out);
    expect(written.spec.quant).toBe("Q4_0");
    const i = await run(["gguf", "info", file, "--json"]);
    expect(i.code).toBe(0);
    const info = JSON.parse(i.out);
    expect(info).toMatchObject({
      architecture: "llama",
      layers: 3,
      hidden: 64,
      ffn: 128,
      heads: 4,
      kv_heads: 1,
      vocab: 700,
      quantization: "Q4_0",
    });
    expect(info.file_bytes).toBe(written.file_bytes);
    expect(info.weight_bytes_per_token).toBe(written.weight_bytes_per_token);
  });

  it("synth --like writes a scaled catalog model", async () => {
    const file = join(dir, "like.gguf");
    const w = await run([
      "gguf",
      "synth",
      "--like",
      "llama-3.2-1b",
      "--scale",
      "0.002",
      "--quant",
      "Q8_0",
      "--out",
      file,
      "--json",
    ]);
    expect(w.code).toBe(0);
    const s = JSON.parse(w.out);
    expect(s.spec).toMatchObject({ layers: 16, heads: 32, kvHeads: 8, tiedEmbeddings: true });
  });

  it("fails with exit code 2 and a hint on bad options", async () => {
    const a = await run([
      "gguf",
      "synth",
      "--layers",
      "2",
      "--hidden",
      "64",
      "--ffn",
      "128",
      "--heads",
      "4",
      "--kv-heads",
      "4",
      "--vocab",
      "700",
      "--quant",
      "Q5_K",
      "--out",
      join(dir, "x.gguf"),
    ]);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/--quant must be one of F32, F16, Q8_0, Q4_0/);
    const b = await run(["gguf", "synth", "--like", "gpt-5", "--quant", "Q8_0", "--out", join(dir, "x.gguf")]);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/unknown model "gpt-5"/);
    const c = await run(["gguf", "info", join(dir, "missing.gguf")]);
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/missing\.gguf.*cannot open the model file/);
  });
});
