import { describe, expect, it } from "vitest";
import { findPowerMode, type DeviceSpec } from "../../../src/catalog/devices.js";
import { findModel } from "../../../src/catalog/models.js";
import { loadDeviceCatalog } from "../../../src/io/catalog/devices.js";
import { loadModelCatalog } from "../../../src/io/catalog/models.js";
import { loadQuantCatalog } from "../../../src/io/catalog/quantization.js";
import { readCorpus } from "../../../src/io/corpus.js";
import {
  decodeComputeCeilingTokensPerS,
  decodeRooflineTokensPerS,
  prefillCeilingTokensPerS,
} from "../../../src/model/community/case.js";
import { predictRate } from "../../../src/model/community/fit.js";
import { caseOf, powerCaseOf, QUERY_RUNTIMES, runtimeBackendOf } from "../../../src/model/community/from-catalog.js";
import { predictCommunity } from "../../../src/model/community/predict.js";
import { fitCommunityPredictor } from "../../../src/pipeline/model/community.js";
import { unplacedError, unplacedRows } from "../../../src/pipeline/corpus.js";
import { ROOT } from "../run-command.js";

const fitted = fitCommunityPredictor(ROOT);
const devices = loadDeviceCatalog(ROOT);
const quants = loadQuantCatalog(ROOT);
const model = findModel(loadModelCatalog(ROOT), "llama-3.2-1b");
const corpus = readCorpus(`${ROOT}/data/community/corpus.csv`);

const query = (device: DeviceSpec, backend: "cpu" | "gpu", runtime: string) => {
  const setting = {
    device,
    powerMode: findPowerMode(device).id,
    backend,
    runtimeBackend: runtimeBackendOf(device, backend),
    runtime,
    runtimeVersion: null,
    model,
    quant: "Q4_K_M",
  };
  const measured = {
    id: "q",
    source: "q",
    threads: null,
    gpuLayers: null,
    promptTokens: null,
    prefillTokensPerS: null,
    genTokens: null,
    decodeTokensPerS: null,
  };
  return {
    c: caseOf(setting, measured, quants),
    p: powerCaseOf(setting, "q", "q", { powerW: null, kind: null }),
  };
};

describe("the runtime-aware model on every corpus board", () => {
  it("places every corpus row in the catalogs: board, power mode, model and quantization", () => {
    expect(fitted.inputs.unresolved).toEqual([]);
    expect(fitted.inputs.cases.length).toBe(corpus.length);
    expect(unplacedRows(ROOT, "corpus.csv", corpus)).toEqual([]);
  });

  it("names every unplaced row at its line, all in one error", () => {
    const file = `${ROOT}/data/community/unplaced.csv`;
    const problems = unplacedRows(ROOT, file, readCorpus(file));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.file === file && (p.line ?? 0) >= 2)).toBe(true);
    const e = unplacedError("corpus.csv", problems);
    expect(e.exitCode).toBe(2);
    expect(e.issues.length).toBe(problems.length - 1);
    expect(e.hint).toMatch(/unplaced\.csv/);
  });

  it("predicts every corpus board with every runtime, within its rooflines", () => {
    const boards = [...new Set(corpus.map((r) => `${r.board}/${r.backend === "cpu" ? "cpu" : "gpu"}`))];
    for (const key of boards) {
      const [id, backend] = key.split("/") as [string, "cpu" | "gpu"];
      const device = devices.devices.find((d) => d.id === id) as DeviceSpec;
      for (const runtime of QUERY_RUNTIMES) {
        const { c, p } = query(device, backend, runtime);
        const r = predictCommunity(fitted.model, fitted.power, c, p, {
          promptTokens: 512,
          genTokens: 128,
          contextTokens: 0,
          scoring: "generate",
          ubatch: 512,
        });
        const what = `${key} ${runtime}`;
        expect(Number.isFinite(r.point.latencyS) && r.point.latencyS > 0, what).toBe(true);
        expect(Number.isFinite(r.point.energyWh) && r.point.energyWh > 0, what).toBe(true);
        expect(r.low.latencyS, what).toBeLessThanOrEqual(r.point.latencyS);
        expect(r.high.latencyS, what).toBeGreaterThanOrEqual(r.point.latencyS);
        const roof = Math.min(
          decodeRooflineTokensPerS({ ...c, promptTokens: 512, genTokens: 128 }),
          decodeComputeCeilingTokensPerS({ ...c, promptTokens: 512, genTokens: 128 }),
        );
        expect(r.decode?.high ?? Infinity, what).toBeLessThanOrEqual(roof * (1 + 1e-9));
        expect(r.notes.join("\n"), what).toMatch(/decode: .* of the bandwidth roofline/);
      }
    }
  });

  it("never predicts a corpus row above its bandwidth roofline or its compute peak", () => {
    for (const c of fitted.inputs.cases) {
      const d = predictRate(fitted.model, c, "decode");
      if (d !== null) {
        expect(d.high, c.id).toBeLessThanOrEqual(decodeRooflineTokensPerS(c) * (1 + 1e-9));
        expect(d.high, c.id).toBeLessThanOrEqual(decodeComputeCeilingTokensPerS(c) * (1 + 1e-9));
      }
      const p = predictRate(fitted.model, c, "prefill");
      if (p !== null) expect(p.high, c.id).toBeLessThanOrEqual(prefillCeilingTokensPerS(c) * (1 + 1e-9));
    }
  });
});
