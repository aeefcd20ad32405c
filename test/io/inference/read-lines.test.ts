import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sha256File } from "../../../src/io/bundle/paths.js";
import { readLines } from "../../../src/io/inference/read-lines.js";

const collect = async (it: AsyncIterable<[string, number]>) => {
  const out: [string, number][] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe("readLines while hashing", () => {
  it("yields the same lines as the text stream and the file's sha256, multi-byte characters across chunks included", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slm-lines-"));
    const path = join(dir, "log.txt");
    const body = Array.from({ length: 20000 }, (_, i) => `${i} µJ — “ünïcode” ✓ 🔋`).join("\r\n");
    writeFileSync(path, "\uFEFF" + body + "\n");
    const hash = createHash("sha256");
    const hashed = await collect(readLines(path, hash));
    expect(hashed).toEqual(await collect(readLines(path)));
    expect(hashed[0]![0]).toBe("0 µJ — “ünïcode” ✓ 🔋");
    expect(hashed).toHaveLength(20000);
    expect(hash.digest("hex")).toBe(await sha256File(path));
  });
});
