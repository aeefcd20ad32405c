import { describe, expect, it } from "vitest";
import { communityValidationJson } from "../../src/io/community-validation.js";
import { validationJson } from "../../src/io/model-validation.js";
import { serializeCalibration } from "../../src/io/calibration.js";
import { calibrate } from "../../src/model/calibrate.js";
import { validate } from "../../src/model/validate.js";
import { validateCommunity } from "../../src/model/community/validate.js";
import { loadCommunityInputs } from "../../src/pipeline/model/community.js";
import { loadData } from "../../src/pipeline/model/data.js";
import { calibrateOnPool, validateCommunitySchemes, validateSchemes } from "../../src/pipeline/model/parallel.js";
import { withPool } from "../../src/pipeline/pool/pool.js";

// Real data: the paper's tables (data/paper) and the community corpus (data/community/corpus.csv),
// both bundled. The workers run the built modules (dist/pipeline/pool/worker.js): build first.
const root = process.cwd();

describe("validation folds on worker threads (pipeline/pool)", () => {
  it("gives the paper schemes' reports byte for byte as one thread, folds in order", async () => {
    const data = loadData(root, { paper: true, runs: [] });
    const options = { bootstrap: 3, seed: 7 };
    const doc = (r: Parameters<typeof validationJson>[0]) => JSON.stringify(validationJson(r), null, 2);
    const serial = validate(data.observations, data.world, "loo-device", options);
    const one = await withPool(1, (p) => validateSchemes(p, data, ["loo-device", "loo-model"], options));
    const seen: number[] = [];
    const two = await withPool(2, (p) =>
      validateSchemes(p, data, ["loo-device", "loo-model"], { ...options, onFold: (done) => seen.push(done) }),
    );
    expect(one.map((r) => r.scheme)).toEqual(["loo-device", "loo-model"]);
    expect(doc(one[0]!)).toBe(doc(serial));
    expect(two.map(doc)).toEqual(one.map(doc));
    expect(seen).toEqual(Array.from({ length: serial.folds + two[1]!.folds }, (_, i) => i + 1));
  }, 120_000);

  it("gives the corpus schemes' reports byte for byte as one thread", async () => {
    const inputs = loadCommunityInputs(root);
    const ctx = { rowsUsed: inputs.cases.length, unresolved: inputs.unresolved };
    const doc = (r: Parameters<typeof communityValidationJson>[0]) =>
      JSON.stringify(communityValidationJson(r, ctx), null, 2);
    const serial = validateCommunity(inputs.cases, inputs.powerCases, "loo-runtime");
    const [two] = await withPool(2, (p) => validateCommunitySchemes(p, inputs, ["loo-runtime"]));
    expect(serial.folds).toBeGreaterThan(1);
    expect(doc(two!)).toBe(doc(serial));
  }, 120_000);

  it("gives calibrate's bootstrap replicates byte for byte as one thread", async () => {
    const data = loadData(root, { paper: true, runs: [] });
    const options = { name: "paper", bootstrap: 12, seed: 3 };
    const serial = serializeCalibration(calibrate(data.observations, data.world, options));
    const two = await withPool(2, (p) => calibrateOnPool(p, data.observations, data.world, options));
    expect(two.replicates).toHaveLength(12);
    expect(serializeCalibration(two)).toBe(serial);
  }, 120_000);
});
