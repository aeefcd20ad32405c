import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { SlmError } from "../../../src/errors.js";
import { parseInferenceText } from "../../../src/ingest/inference/read.js";
import { textLines } from "../../../src/ingest/inference/lines.js";
import type { InferenceRecord, QuarantineEntry } from "../../../src/ingest/types.js";
import { readInferenceLog } from "../../../src/io/inference/read.js";
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

describe("readLines bounds its lines and refuses binary data (issue 13, defects 2 and 19)", () => {
  const dir = mkdtempSync(join(tmpdir(), "slm-lines-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const timings = [
    "prompt eval time =     271.59 ms /    12 tokens (   22.63 ms per token,    44.18 tokens per second)",
    "       eval time =    3151.04 ms /    63 tokens (   50.02 ms per token,    19.99 tokens per second)",
    "      total time =    3422.63 ms /    75 tokens",
  ];

  it("splits LF, CRLF and lone CR as the in-memory reader does", async () => {
    const piece = fc.constantFrom("a", "µ", " ", "\n", "\r", "\r\n", "{}", "\uFEFF");
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 30 }).map((a) => a.join("")),
        async (text) => {
          const path = join(dir, "p.txt");
          writeFileSync(path, text);
          expect(await collect(readLines(path))).toEqual([...textLines(text)]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("keeps a CRLF that falls across two reads as one line end", async () => {
    const path = join(dir, "crlf.txt");
    writeFileSync(path, `${"a".repeat((1 << 20) - 1)}\r\nb\r\n`);
    const lines = await collect(readLines(path));
    expect(lines.map(([l, n]) => [l.length, n])).toEqual([
      [(1 << 20) - 1, 1],
      [1, 2],
    ]);
  });

  it("a log grown to 2 GiB with zeros (truncate -s +2G) is an input error naming line and byte, at once", async () => {
    const path = join(dir, "grown.log");
    const text = `${timings.join("\n")}\n`;
    writeFileSync(path, text);
    truncateSync(path, 2 * 1024 ** 3 + 4096); // sparse: no disk blocks, no time
    const t0 = Date.now();
    const err = await (async () => {
      for await (const r of readInferenceLog(path)) expect(r.line).toBe(1);
    })().then(
      () => null,
      (e: unknown) => e,
    );
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(err).toBeInstanceOf(SlmError);
    expect((err as SlmError).code).toBe("E_INPUT");
    expect((err as SlmError).message).toBe(
      `binary data (a run of NUL bytes) at line 4, byte ${Buffer.byteLength(text)}: not a text log`,
    );
    expect((err as SlmError).hint).toMatch(/truncate -s \d+/);
  });

  it("finds a run of zeros that crosses two reads, and leaves a stray NUL in a line to the parser", async () => {
    const path = join(dir, "zeros.log");
    const at = (1 << 20) - 100;
    writeFileSync(path, Buffer.concat([Buffer.from(`${"a".repeat(at - 1)}\n`), Buffer.alloc(5000)]));
    await expect(collect(readLines(path))).rejects.toThrow(`binary data (a run of NUL bytes) at line 2, byte ${at}`);
    const stray = join(dir, "stray.log");
    writeFileSync(stray, `a\n\u0000\u0001 ERROR: write failed\nb\n`);
    expect(await collect(readLines(stray))).toEqual([
      ["a", 1],
      ["\u0000\u0001 ERROR: write failed", 2],
      ["b", 3],
    ]);
  });

  it("quarantines a line over 16 MiB with its number and reads the records around it", async () => {
    const path = join(dir, "long-line.log");
    const next = timings.map((l) => l.replace("271.59", "280.00").replace("3151.04", "3160.00"));
    writeFileSync(path, [...timings, "x".repeat(17 * 1024 * 1024), ...next].join("\n"));
    const quarantined: QuarantineEntry[] = [];
    const records: InferenceRecord[] = [];
    for await (const r of readInferenceLog(path, { onQuarantine: (q) => quarantined.push(q) })) records.push(r);
    expect(records.map((r) => r.line)).toEqual([1, 5]);
    expect(quarantined).toEqual([
      {
        file: path,
        line: 4,
        text: expect.stringMatching(/^x+…$/) as string,
        reason: `a line of ${17 * 1024 * 1024} bytes, longer than 16 MiB: no record, not read`,
      },
    ]);
  });

  it("detects an Ollama NDJSON file whose first line is over 64 KiB (a long context array)", async () => {
    const record = (i: number) =>
      JSON.stringify({
        model: "llama3.2:1b",
        created_at: `2025-10-17T23:14:0${i}.414671Z`,
        response: "",
        done: true,
        context: Array.from({ length: 40000 }, (_, k) => k),
        total_duration: 1e9 + i,
        prompt_eval_count: 12,
        prompt_eval_duration: 2e8,
        eval_count: 40,
        eval_duration: 7e8,
      });
    const text = `${record(1)}\n${record(2)}\n`;
    expect(record(1).length).toBeGreaterThan(200 * 1024);
    const path = join(dir, "ollama.ndjson");
    writeFileSync(path, text);
    const records: InferenceRecord[] = [];
    for await (const r of readInferenceLog(path)) records.push(r);
    expect(records.map((r) => [r.line, r.totalMs])).toEqual([
      [1, 1000.000001],
      [2, 1000.000002],
    ]);
    expect((await parseInferenceText(text)).records).toEqual(records);
  });
});
