/** An idle segment the power data do not cover: the message names files.idle, the log and the quarantined readings (issue 13 #17). */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";
import { copyBundle, editManifest, ORIN } from "./helpers.js";

async function ingest(dir: string): Promise<{ code: number; err: string }> {
  let err = "";
  const out = mkdtempSync(join(tmpdir(), "slm-idle-"));
  const code = await main(["ingest", dir, "--out", out], { stdout: () => undefined, stderr: (s) => void (err += s) });
  return { code, err };
}

describe("idle segment not covered", () => {
  it("names files.idle, the power log and the quarantined readings that leave it uncovered", async () => {
    const dir = copyBundle(ORIN);
    const p = join(dir, "tegrastats.log");
    const lines = readFileSync(p, "utf8").split("\n");
    for (let i = 0; i < 15; i++) lines[i] = "RAM 3645/7620MB (lfb 63x4MB) SWAP"; // cut readings, 0 … 1.4 s
    writeFileSync(p, lines.join("\n"));
    const r = await ingest(dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/orin-gpu-llama32-hellaswag\/tegrastats\.log:1: field "files\.idle": power data cover 80 %/);
    expect(r.err).toMatch(
      /15 reading\(s\) quarantined in it or at its edge: lines 1–15 \(first: reading without power rails/,
    );
  });

  it("without quarantined readings, names the log and field and points at the clock offset", async () => {
    const dir = copyBundle(ORIN);
    editManifest(dir, (m) => ((m.files as Record<string, unknown>).idle = { start_s: 1763711990, end_s: 1763711995 }));
    const r = await ingest(dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/tegrastats\.log: field "files\.idle": power data cover 0 % of the idle segment/);
    expect(r.err).toMatch(/check the clock offset/);
  });
});
