import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { SlmError } from "../../src/errors.js";
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

/** A GGUF v3 header start: magic, version, tensor and kv counts, then `rest`. */
function ggufBytes(kvCount: number, ...rest: Buffer[]): Buffer {
  const head = Buffer.alloc(24);
  head.write("GGUF", 0, "latin1");
  head.writeUInt32LE(3, 4);
  head.writeBigUInt64LE(0n, 8);
  head.writeBigUInt64LE(BigInt(kvCount), 16);
  return Buffer.concat([head, ...rest]);
}
const u64 = (n: number | bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const ggufString = (s: string) => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);

/** A large sparse file (no disk blocks) that starts with `bytes`. */
function sparseFile(name: string, bytes: Buffer, size: number): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  truncateSync(path, size);
  return path;
}

describe("GGUF lengths are bounded before anything is allocated (issue 13, defects 4 and 5)", () => {
  const GIB = 1024 ** 3;

  it("a key that claims 1.5 GB in a sparse 1.6 GB file: an input error with the offset, at once", () => {
    const path = sparseFile("long-key.gguf", ggufBytes(1, u64(1.5e9)), 1.6e9);
    const t0 = Date.now();
    const err = errorOf(() => readGgufHeader(path));
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(err.code).toBe("E_INPUT");
    expect(err.message).toMatch(/implausible key #0 length 1500000000 at offset 24 \(at most 65535/);
  });

  it("a string value that claims 1.5 GB names its key and offset", () => {
    const bytes = ggufBytes(1, ggufString("general.name"), u32(8 /* STRING */), u64(1.5e9));
    const err = errorOf(() => readGgufHeader(sparseFile("long-value.gguf", bytes, 1.6e9)));
    expect(err.message).toMatch(/implausible value of general\.name length 1500000000 at offset 48/);
    expect(err.field).toBe("value of general.name length");
  });

  it("an array of 2×10⁹ elements in a sparse 2.5 GiB file: an input error, no allocation", () => {
    const bytes = ggufBytes(1, ggufString("tokenizer.ggml.scores"), u32(9 /* ARRAY */), u32(0 /* UINT8 */), u64(2e9));
    const err = errorOf(() => readGgufHeader(sparseFile("long-array.gguf", bytes, 2.5 * GIB)));
    expect(err.code).toBe("E_INPUT");
    expect(err.message).toMatch(/implausible length of tokenizer\.ggml\.scores 2000000000 at offset 61/);
  });

  it("an array longer than the bytes left is a truncated header, whatever the claimed length", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 24 }), fc.constantFrom(1, 4, 8), (n, width) => {
        const type = width === 1 ? 0 : width === 4 ? 6 : 12; // UINT8, FLOAT32, FLOAT64
        const bytes = ggufBytes(
          1,
          ggufString("a.b"),
          u32(9),
          u32(type),
          u64(n),
          Buffer.alloc(Math.min(n * width - 1, 64)),
        );
        const err = errorOf(() => parseGgufHeader(bufferSource(bytes), "a.gguf"));
        expect(err.code).toBe("E_INPUT");
        expect(err.message).toMatch(/truncated GGUF header: \d+ elements of a\.b needs/);
      }),
      { numRuns: 200 },
    );
  });
});

function errorOf(f: () => unknown): SlmError {
  try {
    f();
  } catch (e) {
    if (e instanceof SlmError) return e;
    throw e;
  }
  throw new Error("expected an SlmError");
}
