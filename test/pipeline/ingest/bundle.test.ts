import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { renderTables } from "../../../src/io/processed-tables.js";
import { sha256File } from "../../../src/io/bundle/paths.js";
import * as powerRead from "../../../src/io/power/read.js";
import { ingestBundle, loadBundle } from "../../../src/pipeline/ingest/bundle.js";
import { placeWindows } from "../../../src/ingest/bundle/place.js";
import { ORIN, RPI } from "../../ingest/bundle/helpers.js";

vi.mock("../../../src/io/power/read.js", { spy: true });

describe("ingestBundle reads each power file once", () => {
  beforeEach(() => vi.mocked(powerRead.readPowerLog).mockClear());

  it("one streaming pass per power log covers the windows, the span, the idle segment and the hash", async () => {
    const b = await ingestBundle(ORIN); // idle segment inside the power log
    const calls = vi.mocked(powerRead.readPowerLog).mock.calls.map((c) => c[0]);
    expect(calls).toEqual([join(ORIN, "tegrastats.log")]);
    const power = b.files.find((f) => f.role === "power")!;
    expect(power.sha256).toBe(await sha256File(join(ORIN, "tegrastats.log")));
    expect(b.run.idlePowerW).not.toBeNull();
    expect(b.inferences.every((r) => r.power.length === 1 && r.power[0]!.sha256 === power.sha256)).toBe(true);
  });

  it("hashes each inference log as it streams its lines (the sha256 of its bytes)", async () => {
    for (const dir of [ORIN, RPI]) {
      const b = await ingestBundle(dir);
      for (const f of b.files.filter((x) => x.role === "inference" || x.role === "accuracy")) {
        expect(f.sha256).toBe(await sha256File(join(dir, f.name.slice(b.runId.length + 1))));
      }
      expect(b.inferences.every((r) => r.inferenceSha256 === b.files[0]!.sha256)).toBe(true);
    }
  });

  it("reads a separate idle log once too, and hashes it as it streams", async () => {
    const b = await ingestBundle(RPI);
    const calls = vi.mocked(powerRead.readPowerLog).mock.calls.map((c) => c[0]);
    expect(calls.sort()).toEqual([join(RPI, "pmic-idle.log"), join(RPI, "pmic.log")].sort());
    const idle = b.files.find((f) => f.role === "idle")!;
    expect(idle.sha256).toBe(await sha256File(join(RPI, "pmic-idle.log")));
  });
});

describe("the stages, by name", () => {
  it("load bundle → place windows: every record with its window, in file order", async () => {
    const loaded = await loadBundle(ORIN);
    expect(loaded.runId).toBe("orin-gpu-llama32-hellaswag");
    expect(loaded.files.power.map((f) => f.name)).toEqual(["orin-gpu-llama32-hellaswag/tegrastats.log"]);
    const placed = placeWindows(loaded);
    expect(placed.usable).toHaveLength(loaded.records.length);
    expect(placed.windows.every((w) => w !== null && w.endS > w.startS)).toBe(true);
    expect(placed.spanWindow!.startS).toBe(Math.min(...placed.windows.map((w) => w!.startS)));
  });
});

describe("coded warnings reach the processed summary intact", () => {
  it("keeps each warning's code, the inference it concerns and its numbers", async () => {
    const b = await ingestBundle(RPI);
    expect(b.inferences[0]!.warnings.map((w) => w.code)).toContain("placed");
    const summary = JSON.parse(renderTables([b]).summary) as {
      schema: string;
      runs: { warnings: { code: string; file: string; line: number | null; inference?: number; message: string }[] }[];
    };
    expect(summary.schema).toBe("slm-energy/ingest-summary@2");
    const placed = summary.runs[0]!.warnings.filter((w) => w.code === "placed");
    expect(placed.map((w) => w.inference)).toEqual(b.inferences.map((r) => r.index));
    expect(placed[0]).toMatchObject({
      file: "rpi5-tinyllama-mmlu/llama-server.log",
      message: "placed back to back from the manifest's placement: window edges are approximate",
    });
    const short = summary.runs[0]!.warnings.find((w) => w.code === "short-window") as
      { expected_rel_error: number; max_rel_error: number } | undefined;
    if (short) expect(short.max_rel_error).toBeGreaterThan(short.expected_rel_error);
  });
});
