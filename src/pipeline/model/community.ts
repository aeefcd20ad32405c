import { findDevice, findPowerMode } from "../../catalog/devices.js";
import { findModel } from "../../catalog/models.js";
import { resolveCorpusBoard } from "../../corpus/resolve-board.js";
import { resolveCorpusModel } from "../../corpus/resolve-model.js";
import { isSlmError } from "../../errors.js";
import { readCorpus, type CorpusRow } from "../../io/corpus.js";
import { loadDeviceCatalog } from "../../io/catalog/devices.js";
import { loadModelCatalog } from "../../io/catalog/models.js";
import { loadQuantCatalog } from "../../io/catalog/quantization.js";
import { whToJ } from "../../metrics/units.js";
import type { CommunityCase } from "../../model/community/case.js";
import { caseOf, powerCaseOf, type ResolvedSetting } from "../../model/community/from-catalog.js";
import type { PowerCase } from "../../model/community/power.js";
import { observationsFromPaper, paperAssumptions } from "../../model/observations.js";
import { loadPaper } from "../../io/paper.js";
import { PATHS } from "../paths.js";
import { join } from "node:path";
import type { MixedModelFit } from "../../stats/mixed-model.js";
import { fitCommunityModel, type CommunityModel } from "../../model/community/fit.js";
import { fitPowerModel } from "../../model/community/power.js";
import { communityValidationJson } from "../../io/community-validation.js";
import { COMMUNITY_SCHEMES, type CommunityScheme, type CommunityValidation } from "../../model/community/validate.js";
import { withPool } from "../pool/pool.js";
import { validateCommunitySchemes } from "./parallel.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import type { Written } from "../written.js";
import { validationJsonPath } from "./validation.js";
import { communityValidationTable } from "../../model/community/validation-table.js";

/**
 * The community corpus as model cases: every row resolved against the catalogs (board, power mode,
 * model, quantization), plus the power readings — the corpus rows that print an average, and the
 * paper's 48 cells (energy ÷ latency: the board's average draw during the benchmark).
 */
export interface CommunityInputs {
  cases: CommunityCase[];
  powerCases: PowerCase[];
  /** Rows the catalogs cannot place yet, with why (they are reported, not silently dropped). */
  unresolved: { rowId: string; reason: string }[];
  corpusRows: number;
}

const POWER_KIND: Record<string, "avg" | "peak"> = {
  "board-input-avg": "avg",
  "rail-avg": "avg",
  "wall-avg": "avg",
  "wall-peak": "peak",
};

function settingOf(
  row: CorpusRow,
  root: {
    devices: ReturnType<typeof loadDeviceCatalog>;
    models: ReturnType<typeof loadModelCatalog>;
    quants: ReturnType<typeof loadQuantCatalog>;
  },
): ResolvedSetting {
  const b = resolveCorpusBoard(row, root.devices);
  const m = resolveCorpusModel(row, root.models, root.quants);
  return {
    device: b.device,
    powerMode: b.powerMode,
    backend: b.backend,
    runtimeBackend: row.backend,
    runtime: row.runtime,
    runtimeVersion: row.runtimeVersion,
    model: m.model,
    quant: m.quant,
  };
}

export function loadCommunityInputs(root: string): CommunityInputs {
  const devices = loadDeviceCatalog(root);
  const models = loadModelCatalog(root);
  const quants = loadQuantCatalog(root);
  const rows = readCorpus(join(root, PATHS.communityCorpus));
  const cases: CommunityCase[] = [];
  const powerCases: PowerCase[] = [];
  const unresolved: CommunityInputs["unresolved"] = [];
  for (const row of rows) {
    let s: ResolvedSetting;
    let c: CommunityCase;
    try {
      s = settingOf(row, { devices, models, quants });
      c = caseOf(
        s,
        {
          id: row.rowId,
          source: row.source.name,
          threads: row.threads,
          gpuLayers: row.gpuLayers,
          promptTokens: row.promptTokens,
          prefillTokensPerS: row.prefillTokPerS,
          genTokens: row.generatedTokens,
          decodeTokensPerS: row.decodeTokPerS,
        },
        quants,
      );
    } catch (e) {
      if (!isSlmError(e)) throw e;
      unresolved.push({ rowId: row.rowId, reason: e.message });
      continue;
    }
    cases.push(c);
    if (row.powerW !== null && row.powerKind !== null)
      powerCases.push(
        powerCaseOf(s, row.rowId, row.source.name, { powerW: row.powerW, kind: POWER_KIND[row.powerKind] ?? null }),
      );
  }
  const assumptions = paperAssumptions(models, devices, { quantByModel: {}, powerModeByDevice: {} });
  for (const o of observationsFromPaper(loadPaper(root), models, devices, assumptions)) {
    const device = findDevice(devices, o.device);
    findModel(models, o.model);
    powerCases.push(
      powerCaseOf(
        { device, powerMode: findPowerMode(device, o.powerMode).id, backend: o.backend, runtime: "ollama" },
        `paper:${o.device}/${o.backend}/${o.model}/${o.benchmark}`,
        "paper",
        // HellaSwag and Winogrande score log-likelihoods: prefill only; MMLU also generates.
        { powerW: whToJ(o.energyWh) / o.latencyS, kind: "avg", phase: o.benchmark === "mmlu" ? "mixed" : "prefill" },
      ),
    );
  }
  return { cases, powerCases, unresolved, corpusRows: rows.length };
}

/** The corpus validation of one scheme, its folds on `jobs` threads: its report, JSON document and text table. */
export async function runCommunityValidation(
  root: string,
  scheme: CommunityScheme,
  options: { jobs?: number; onFold?: (done: number, total: number, fold: string) => void } = {},
): Promise<{ report: CommunityValidation; json: string; table: string }> {
  const inputs = loadCommunityInputs(root);
  const [report] = await withPool(options.jobs ?? 1, (pool) =>
    validateCommunitySchemes(pool, inputs, [scheme], options.onFold),
  );
  if (report === undefined) throw new Error("no report");
  const ctx = { rowsUsed: inputs.cases.length, unresolved: inputs.unresolved };
  return {
    report,
    json: JSON.stringify(communityValidationJson(report, ctx), null, 2) + "\n",
    table: communityValidationTable(report, inputs.cases.length, inputs.unresolved.length),
  };
}

/** The runtime-aware model fitted on the whole corpus (and the power model), for `predict`. */
export function fitCommunityPredictor(root: string): {
  model: CommunityModel;
  power: MixedModelFit | null;
  inputs: CommunityInputs;
} {
  const inputs = loadCommunityInputs(root);
  return { model: fitCommunityModel(inputs.cases), power: fitPowerModel(inputs.powerCases), inputs };
}

/**
 * `figures/tables/validation-<scheme>.json` for every corpus scheme, and validation-corpus.md; the
 * folds of the three schemes on `jobs` threads (1: in this thread), the same files either way.
 */
export async function writeCommunityValidation(
  root: string,
  jobs = 1,
): Promise<{ written: Written[]; reports: CommunityValidation[] }> {
  const inputs = loadCommunityInputs(root);
  const ctx = { rowsUsed: inputs.cases.length, unresolved: inputs.unresolved };
  const written: Written[] = [];
  const reports: CommunityValidation[] = [];
  const md = [
    "# Validation of the runtime-aware model on the community corpus",
    "",
    "Generated by `slm-energy reproduce` (same as `slm-energy validate --scheme S`).",
    "",
  ];
  const all = await withPool(jobs, (pool) => validateCommunitySchemes(pool, inputs, COMMUNITY_SCHEMES));
  for (const report of all) {
    const scheme = report.scheme;
    reports.push(report);
    const rel = validationJsonPath(scheme);
    const json = JSON.stringify(communityValidationJson(report, ctx), null, 2) + "\n";
    written.push({ path: rel, changed: writeFileAtomic(join(root, rel), json) });
    md.push(
      `## ${scheme}`,
      "",
      "```",
      communityValidationTable(report, ctx.rowsUsed, ctx.unresolved.length),
      "```",
      "",
    );
  }
  const mdPath = `${PATHS.tablesDir}/validation-corpus.md`;
  written.push({ path: mdPath, changed: writeFileAtomic(join(root, mdPath), md.join("\n")) });
  return { written, reports };
}
