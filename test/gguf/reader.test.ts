import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bufferSource, parseGgufHeader } from "../../src/gguf/reader.js";
import { syntheticLayout, syntheticTensorChunks } from "../../src/gguf/synthetic.js";
import { readGgufHeader } from "../../src/io/gguf/reader.js";
import { writeSyntheticGguf } from "../../src/io/gguf/writer.js";
import type { SyntheticModelSpec } from "../../src/gguf/spec.js";

const dir = mkdtempSync(join(tmpdir(), "slm-gguf-reader-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec: SyntheticModelSpec = {
  name: "bytes",
  layers: 2,
  hidden: 64,
  ffn: 160,
  heads: 4,
  kvHeads: 2,
  vocab: 600,
  quant: "Q4_0",
  seed: 5,
};

/** The file's bytes assembled in memory from the pure layout and chunks (no disk). */
function inMemory(s: SyntheticModelSpec): Uint8Array {
  const layout = syntheticLayout(s);
  const bytes = new Uint8Array(layout.totalBytes);
  bytes.set(layout.header, 0);
  for (const c of syntheticTensorChunks(s, layout)) bytes.set(c.bytes.subarray(0, c.length), c.position);
  return bytes;
}

describe("GGUF bytes without the disk", () => {
  it("the pure chunks are the bytes the writer puts in the file", async () => {
    const path = join(dir, "m.gguf");
    await writeSyntheticGguf(spec, path);
    expect(Buffer.compare(Buffer.from(inMemory(spec)), readFileSync(path))).toBe(0);
  });

  it("decodes a header from memory as the file reader does", async () => {
    const path = join(dir, "n.gguf");
    await writeSyntheticGguf(spec, path);
    const fromFile = readGgufHeader(path);
    const fromMemory = parseGgufHeader(bufferSource(inMemory(spec)), path);
    expect(fromMemory).toEqual(fromFile);
  });

  it("names the offset and what was being read when the bytes end early", () => {
    const bytes = inMemory(spec).subarray(0, 100);
    expect(() => parseGgufHeader(bufferSource(bytes), "cut.gguf")).toThrow(/truncated GGUF header: .* at offset/);
  });
});
