import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeSyntheticGguf } from "../../src/gguf/index.js";
import { validateCollectorRecord } from "../../src/ingest/inference/collector.js";
import { ROOT } from "../helpers.js";

const dir = mkdtempSync(join(tmpdir(), "slm-sigint-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("collect under Ctrl-C (the built CLI, a real SIGINT)", () => {
  it.skipIf(!existsSync(join(ROOT, "dist", "cli", "main.js")))(
    "stops after the inference in flight and leaves a valid partial bundle",
    async () => {
      const model = join(dir, "m.gguf");
      await writeSyntheticGguf(
        { name: "sigint", layers: 2, hidden: 128, ffn: 256, heads: 4, kvHeads: 2, vocab: 800, quant: "Q8_0" },
        model,
      );
      const out = join(dir, "bundle");
      const child = spawn(
        process.execPath,
        [
          join(ROOT, "dist", "cli", "main.js"),
          "collect",
          "--model",
          model,
          "--benchmark-like",
          "mmlu",
          "--n",
          "500",
          "--gen-tokens",
          "16",
          "--threads",
          "1",
          "--sensor",
          "none",
          "--out",
          out,
        ],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
      // Interrupt once the first records are on disk.
      const jsonl = join(out, "inference.jsonl");
      for (let i = 0; i < 600; i++) {
        if (existsSync(jsonl) && readFileSync(jsonl, "utf8").split("\n").length > 3) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill("SIGINT");
      const code = await exited;
      expect(code).toBe(1);
      expect(stderr).toMatch(/interrupted: finishing the inference in flight/);
      const lines = readFileSync(jsonl, "utf8").trim().split("\n");
      expect(lines.length).toBeGreaterThanOrEqual(3);
      expect(lines.length).toBeLessThan(500);
      for (const l of lines) expect(validateCollectorRecord(JSON.parse(l))).toEqual([]);
      const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
      expect(run.status).toBe("interrupted");
      expect(run.counts.recorded).toBe(lines.length);
      expect(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).notes).toMatch(
        new RegExp(`interrupted after ${lines.length} of 500`),
      );
    },
    120_000,
  );
});
