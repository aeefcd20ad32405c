import fc from "fast-check";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ingestBundle } from "../../../src/pipeline/ingest/bundle.js";
import { copyBundle, ORIN } from "./helpers.js";

describe("property: corrupting inference lines never changes the other inferences", () => {
  it("keeps every intact inference with the same energy, and quarantines exactly the corrupted lines", async () => {
    const clean = await ingestBundle(ORIN);
    const byIndex = new Map(clean.inferences.map((r) => [r.index, r]));
    const original = readFileSync(join(ORIN, "inferences.jsonl"), "utf8").trim().split("\n");
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 7 }),
        fc.constantFrom("truncate", "garbage", "type", "duplicate"),
        async (bad, how) => {
          const dir = copyBundle(ORIN);
          const lines = original.map((l, i) => {
            if (!bad.includes(i)) return l;
            if (how === "truncate") return l.slice(0, 30 + i);
            if (how === "garbage") return "\u0000\u0001 ERROR: write failed";
            if (how === "type") return l.replace(/"prompt_tokens":\d+/, '"prompt_tokens":"212"');
            return original[(i + 7) % 8]!; // a copy of another line: duplicate index
          });
          writeFileSync(join(dir, "inferences.jsonl"), lines.join("\n") + "\n");
          const b = await ingestBundle(dir);
          // Every row kept is an intact one, with the energy it had in the clean bundle.
          for (const r of b.inferences) {
            const c = byIndex.get(r.index)!;
            expect(r.energyGrossJ).toBe(c.energyGrossJ);
            expect(r.latencyS).toBe(c.latencyS);
          }
          // Nothing vanished: kept rows + quarantined lines account for every line.
          const q = b.quarantined.filter((e) => e.file.endsWith("inferences.jsonl"));
          expect(b.inferences.length + q.length).toBe(8);
          if (how !== "duplicate")
            expect(q.map((e) => e.line).sort((x, y) => x - y)).toEqual(
              [...bad].sort((x, y) => x - y).map((i) => i + 1),
            );
        },
      ),
      { numRuns: 25 },
    );
  });
});
