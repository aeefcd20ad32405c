import { mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadManifest } from "../../../src/ingest/bundle/index.js";
import { ingestBundle } from "../../../src/pipeline/ingest/bundle.js";
import { copyBundle, editManifest, ORIN, RPI } from "./helpers.js";
import type { SlmError } from "../../../src/errors.js";

describe("manifest paths must stay inside the bundle", () => {
  it.each([
    ["an absolute path", "/etc/passwd", /absolute path/],
    ["a Windows absolute path", "C:\\logs\\tegrastats.log", /absolute path/],
    ["a .. segment", "../orin-gpu-llama32-hellaswag/tegrastats.log", /"\.\."/],
    ["a .. hidden in the middle", "logs/../../x.log", /"\.\."/],
  ])("refuses %s with E_UNSAFE_PATH naming the field", async (_what, path, message) => {
    const dir = copyBundle(ORIN);
    editManifest(dir, (m) => ((m.files as Record<string, unknown>).power = [path]));
    await expect(ingestBundle(dir)).rejects.toMatchObject({
      code: "E_UNSAFE_PATH",
      field: "files.power[0]",
      message: expect.stringMatching(message),
      text: path,
    });
  });

  it("refuses a symbolic link that leads out of the bundle, and accepts one that stays inside", async () => {
    const dir = copyBundle(ORIN);
    const outside = join(dirname(dir), "outside.log");
    writeFileSync(outside, readFileSync(join(dir, "tegrastats.log")));
    symlinkSync(outside, join(dir, "escape.log"));
    editManifest(dir, (m) => ((m.files as Record<string, unknown>).power = ["escape.log"]));
    await expect(ingestBundle(dir)).rejects.toMatchObject({
      code: "E_UNSAFE_PATH",
      message: expect.stringMatching(/symbolic link leads outside/),
    });

    mkdirSync(join(dir, "raw"));
    symlinkSync(join(dir, "tegrastats.log"), join(dir, "raw", "power.log"));
    editManifest(dir, (m) => ((m.files as Record<string, unknown>).power = ["raw/power.log"]));
    const b = await ingestBundle(dir);
    expect(b.inferences).toHaveLength(8);
  });

  it("reports a missing file as E_NOT_FOUND with the field", async () => {
    const dir = copyBundle(ORIN);
    editManifest(dir, (m) => ((m.files as Record<string, unknown>).inference = ["inference.jsonl"]));
    await expect(ingestBundle(dir)).rejects.toMatchObject({
      code: "E_NOT_FOUND",
      field: "files.inference[0]",
      text: "inference.jsonl",
    });
  });
});

describe("manifest schema", () => {
  it("names file, line and field of a bad value, with a hint", () => {
    const dir = copyBundle(ORIN);
    editManifest(dir, (m) => (m.backend = "npu"));
    expect(() => loadManifest(dir)).toThrow(
      expect.objectContaining({ code: "E_INPUT", field: "backend", line: 4, message: "expected one of cpu, gpu" }),
    );
  });

  it("requires clock_offset_s once there is a power log", () => {
    const dir = copyBundle(ORIN);
    editManifest(dir, (m) => delete m.clock_offset_s);
    expect(() => loadManifest(dir)).toThrow(
      expect.objectContaining({ field: "clock_offset_s", hint: expect.stringMatching(/same machine/) }),
    );
  });

  it("gives the line of a JSON syntax error", () => {
    const dir = copyBundle(ORIN);
    const p = join(dir, "manifest.json");
    writeFileSync(p, readFileSync(p, "utf8").replace('"backend": "gpu",', '"backend": "gpu"'));
    expect(() => loadManifest(dir)).toThrow(
      expect.objectContaining({ code: "E_INPUT", line: 5, message: expect.stringMatching(/invalid JSON/) }),
    );
  });

  it("refuses a wrong schema version, and a missing manifest", () => {
    const dir = copyBundle(ORIN);
    editManifest(dir, (m) => (m.schema = "slm-energy/bundle@2"));
    expect(() => loadManifest(dir)).toThrow(expect.objectContaining({ field: "schema" }));
    rmSync(join(dir, "manifest.json"));
    expect(() => loadManifest(dir)).toThrow(expect.objectContaining({ code: "E_NOT_FOUND" }));
  });

  it("reports every bad field at once, each with its line", () => {
    const dir = copyBundle(ORIN);
    editManifest(dir, (m) => {
      m.backend = "npu";
      m.power_interval_ms = -5;
      (m.files as Record<string, unknown>).idel = "idle.log";
      m.placement = { start_s: 1, repetitions: 0.5 };
    });
    const lines = readFileSync(join(dir, "manifest.json"), "utf8").split("\n");
    const lineOf = (text: string) => lines.findIndex((l) => l.includes(text)) + 1;
    let err: unknown;
    try {
      loadManifest(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: "E_INPUT", field: "backend", line: lineOf('"backend"') });
    const e = err as SlmError;
    expect(e.message).toBe("expected one of cpu, gpu (and 3 more problem(s) below)");
    expect(e.issues.map((i) => [i.field, i.line, i.message])).toEqual([
      ["power_interval_ms", lineOf('"power_interval_ms"'), "expected a number > 0"],
      ["files.idel", lineOf('"idel"'), 'unknown kind of file "idel" (did you mean "idle"?)'],
      ["placement.repetitions", lineOf('"repetitions"'), "expected a whole number ≥ 1 (llama-bench's -r)"],
    ]);
  });

  it("warns about an unknown key with the closest known one", () => {
    const dir = copyBundle(ORIN);
    editManifest(dir, (m) => (m.power_calibraton = { gain: 1, offset_w: 0 }));
    expect(loadManifest(dir).warnings).toEqual([
      expect.stringMatching(/unknown key "power_calibraton" ignored \(did you mean "power_calibration"\?\)/),
    ]);
  });
});

describe("files that are not what the manifest says", () => {
  it("refuses a power log of another format than the meter named", async () => {
    const dir = copyBundle(ORIN);
    editManifest(dir, (m) => (m.meter = "pmic"));
    await expect(ingestBundle(dir)).rejects.toMatchObject({
      code: "E_INPUT",
      message: expect.stringMatching(/says the power logs are pmic, but this file looks like tegrastats/),
    });
  });

  it("refuses an inference log of another format than declared", async () => {
    const dir = copyBundle(RPI);
    editManifest(dir, (m) => (m.inference_format = "ollama-verbose"));
    await expect(ingestBundle(dir)).rejects.toMatchObject({
      file: "rpi5-tinyllama-mmlu/llama-server.log",
      message: expect.stringMatching(/declared ollama-verbose but looks like llama-cpp/),
    });
  });

  it("refuses an empty inference log", async () => {
    const dir = copyBundle(ORIN);
    writeFileSync(join(dir, "inferences.jsonl"), "");
    await expect(ingestBundle(dir)).rejects.toMatchObject({
      file: "orin-gpu-llama32-hellaswag/inferences.jsonl",
      message: "the file is empty",
    });
  });

  it("refuses an inference log whose every line is rejected, counting them", async () => {
    const dir = copyBundle(ORIN);
    writeFileSync(
      join(dir, "inferences.jsonl"),
      '{"schema":"slm-energy/inference@1","index":0}\n{"schema":"slm-energy/inference@1"\n',
    );
    await expect(ingestBundle(dir)).rejects.toMatchObject({
      message: expect.stringMatching(
        /^no inference records in this file \(2 line\(s\) quarantined; the first, line 1: field "item_id": missing; field "start_s": missing/,
      ) as unknown,
      line: 1,
    });
  });
});

describe("raw files are never modified", () => {
  it("leaves every byte and modification time of the bundle as it was", async () => {
    const dir = copyBundle(RPI);
    const files = ["manifest.json", "pmic.log", "pmic-idle.log", "llama-server.log", "lm-eval-results.json"];
    const before = files.map((f) => ({ bytes: readFileSync(join(dir, f)), mtimeMs: statSync(join(dir, f)).mtimeMs }));
    await ingestBundle(dir);
    await ingestBundle(dir);
    files.forEach((f, i) => {
      expect(readFileSync(join(dir, f)).equals(before[i]!.bytes)).toBe(true);
      expect(statSync(join(dir, f)).mtimeMs).toBe(before[i]!.mtimeMs);
    });
  });
});
