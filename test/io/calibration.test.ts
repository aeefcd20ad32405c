import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { paramFromName, paramName, parseCalibration, serializeCalibration } from "../../src/io/calibration.js";
import { SlmError } from "../../src/errors.js";
import type { ParamKey } from "../../src/model/parameters.js";

const ROOT = join(import.meta.dirname, "..", "..");
const PAPER = join(ROOT, "models", "calibrated", "paper.json");
const text = readFileSync(PAPER, "utf8");

function failure(doc: unknown): SlmError {
  try {
    parseCalibration(JSON.stringify(doc, null, 2), "bad.json");
  } catch (e) {
    if (e instanceof SlmError) return e;
    throw e;
  }
  throw new Error("expected a failure");
}

describe("calibration file", () => {
  it("rewrites the committed paper calibration byte for byte", () => {
    expect(serializeCalibration(parseCalibration(text, PAPER))).toBe(text);
  });

  it("reads parameter names as typed keys, and writes them back the same", () => {
    const cal = parseCalibration(text, PAPER);
    const keys: ParamKey[] = [
      { kind: "etaCompute", platform: "raspberry-pi-5/cpu/default" },
      { kind: "quantFactor", quantFamily: "q8" },
      { kind: "promptTokens", benchmark: "mmlu" },
      { kind: "genTokens", benchmark: "mmlu", model: "gemma-2-2b" },
      { kind: "decodePowerW", platform: "jetson-nano/cpu/MAXN" },
    ];
    for (const k of keys) expect(paramFromName(paramName(k))).toEqual(k);
    expect(paramName({ kind: "genTokens", benchmark: "mmlu", model: "phi-3-mini" })).toBe("gen_tokens@mmlu@phi-3-mini");
    expect(cal.parameters.map(paramName)).toEqual(JSON.parse(text).parameterNames);
    expect(paramFromName("eta_speed@x")).toBeNull();
    expect(paramFromName("gen_tokens@mmlu")).toBeNull();
  });

  it("reports every bad field at once, each with its line", () => {
    const doc = JSON.parse(text);
    doc.platforms["jetson-nano/cpu/MAXN"].hardware.backend = "npu";
    doc.platforms["jetson-nano/cpu/MAXN"].params.etaMemory = 1.5;
    doc.tokenizerRatio = -1;
    const e = failure(doc);
    expect(e.file).toBe("bad.json");
    expect(e.field).toBe("platforms.jetson-nano/cpu/MAXN.hardware.backend");
    expect(e.message).toMatch(/expected cpu or gpu/);
    expect(e.line).toBeGreaterThan(1);
    expect(e.issues.map((i) => i.field)).toEqual(["platforms.jetson-nano/cpu/MAXN.params.etaMemory", "tokenizerRatio"]);
    expect(e.issues.every((i) => typeof i.line === "number")).toBe(true);
  });

  it("names a parameter the model does not have", () => {
    const doc = JSON.parse(text);
    doc.parameterNames[2] = "warp_factor@raspberry-pi-5/cpu/default";
    const e = failure(doc);
    expect(e.field).toBe("parameterNames[2]");
    expect(e.message).toMatch(/not a parameter of the model/);
  });

  it("says what the file is not", () => {
    const e = failure({ schema: "something-else" });
    expect(e.field).toBe("schema");
    expect(e.message).toMatch(/not a calibration file/);
    expect(e.hint).toMatch(/slm-energy calibrate/);
  });
});
