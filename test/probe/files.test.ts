import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isSlmError } from "../../src/errors.js";
import { formatSweepCsv, parseSweepCsv, readProbeFile, readSweepCsv, readSweepFile } from "../../src/io/probe/files.js";
import { writeSweepOutputs } from "../../src/pipeline/probe/write.js";
import { ROOT } from "../helpers.js";

const measured = join(ROOT, "data/measured/this-machine");
const dir = mkdtempSync(join(tmpdir(), "slm-probe-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the probe's and the sweep's files, against their schemas", () => {
  it("reads the stored probe.json, sweep.json and sweep.csv", () => {
    const probe = readProbeFile(join(measured, "probe.json"));
    expect(probe.effective?.gbps).toBeGreaterThan(0);
    const sweep = readSweepFile(join(measured, "sweep.json"));
    expect(sweep.points.length).toBeGreaterThan(0);
    expect(sweep.probe?.schema).toBe("slm-energy/probe@1");
    const rows = readSweepCsv(join(measured, "sweep.csv"));
    expect(rows.map((r) => r.model)).toEqual(sweep.points.map((p) => p.model));
    expect(rows.map((r) => r.decode_tokens_per_s)).toEqual(sweep.points.map((p) => p.decodeTokensPerS));
  });

  it("writes sweep.csv as the stored one and reads back every number and null", () => {
    const sweep = readSweepFile(join(measured, "sweep.json"));
    expect(formatSweepCsv(sweep.points)).toBe(readFileSync(join(measured, "sweep.csv"), "utf8"));
    const rows = parseSweepCsv(formatSweepCsv(sweep.points), "sweep.csv");
    expect(rows.map((r) => r.model_error_pct)).toEqual(sweep.points.map((p) => p.modelErrorPct));
    expect(rows.map((r) => r.fitted)).toEqual(sweep.points.map((p) => p.fitted));
  });

  it("writes DIR/sweep.json, sweep.csv and probe.json that read back unchanged", () => {
    const sweep = readSweepFile(join(measured, "sweep.json"));
    writeSweepOutputs(dir, sweep);
    expect(readSweepFile(join(dir, "sweep.json"))).toEqual(sweep);
    expect(readProbeFile(join(dir, "probe.json"))).toEqual(sweep.probe);
    expect(readSweepCsv(join(dir, "sweep.csv")).length).toBe(sweep.points.length);
  });

  it("rewrites the stored files byte for byte (key order and wire names kept), camelCase in memory", () => {
    const sweep = readSweepFile(join(measured, "sweep.json"));
    expect(sweep.probe?.measuredAt).toMatch(/^\d{4}-/);
    const out = join(dir, "again");
    writeSweepOutputs(out, sweep);
    for (const f of ["sweep.json", "sweep.csv", "probe.json"]) {
      expect(readFileSync(join(out, f), "utf8"), f).toBe(readFileSync(join(measured, f), "utf8"));
    }
  });

  it("reports every bad field of a probe file at once, with its line", () => {
    const probe = JSON.parse(readFileSync(join(measured, "probe.json"), "utf8")) as Record<string, unknown>;
    const bad = { ...probe, schema: "slm-energy/probe@2", machine: { ...(probe.machine as object), logicalCpus: -1 } };
    const file = join(dir, "bad-probe.json");
    writeFileSync(file, JSON.stringify(bad, null, 2));
    try {
      readProbeFile(file);
      expect.unreachable();
    } catch (e) {
      expect(isSlmError(e)).toBe(true);
      if (!isSlmError(e)) return;
      expect(e.file).toBe(file);
      expect(e.field).toBe("schema");
      expect(e.line).toBe(2);
      expect(e.issues?.map((i) => i.field)).toEqual(["machine.logicalCpus"]);
      expect(e.format()).toMatch(/slm-energy probe --out/);
    }
  });

  it("reports every bad cell of sweep.csv at once, with line and column", () => {
    const text = readFileSync(join(measured, "sweep.csv"), "utf8").split("\n");
    text[1] = text[1]!.replace(",Q4_0,", ",Q5_K,");
    text[2] = text[2]!.replace(/,(false|true)$/, ",maybe");
    try {
      parseSweepCsv(text.join("\n"), "sweep.csv");
      expect.unreachable();
    } catch (e) {
      expect(isSlmError(e)).toBe(true);
      if (!isSlmError(e)) return;
      expect([e.file, e.line, e.field, e.text]).toEqual(["sweep.csv", 2, "quant", "Q5_K"]);
      expect(e.issues?.map((i) => [i.line, i.field])).toEqual([[3, "fitted"]]);
    }
  });
});
