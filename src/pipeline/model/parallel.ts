import { finishCalibration, planCalibration, replicateTasks, type CalibrateOptions } from "../../model/calibrate.js";
import type { Calibration } from "../../model/calibration.js";
import type { CommunityCase } from "../../model/community/case.js";
import { fitCommunityModel } from "../../model/community/fit.js";
import type { PowerCase } from "../../model/community/power.js";
import {
  communityFolds,
  communityReport,
  type CommunityScheme,
  type CommunityValidation,
} from "../../model/community/validate.js";
import type { Priors } from "../../model/fit.js";
import type { Observation } from "../../model/observations.js";
import { validationFolds, validationReport, type Scheme, type ValidationReport } from "../../model/validate.js";
import type { World } from "../../model/world.js";
import type { TaskPool } from "../pool/pool.js";

/**
 * `validate` and the corpus schemes with their folds on a task pool: every fold of every scheme
 * asked for is one task, so several schemes share the workers; the reports are assembled from the
 * results in fold order and equal the one-thread `validate` / `validateCommunity` ones.
 */

export interface PaperValidationOptions {
  bootstrap?: number;
  seed?: number;
  priors?: Readonly<Priors>;
  /** Called as each fold finishes (in finishing order). */
  onFold?: (done: number, total: number, fold: string) => void;
}

/** Count finished folds for a progress callback. */
function progress<T>(
  p: Promise<T>,
  fold: string,
  state: { done: number; total: number },
  on?: PaperValidationOptions["onFold"],
) {
  return p.then((r) => {
    state.done++;
    on?.(state.done, state.total, fold);
    return r;
  });
}

/** The paper schemes' reports, in the order of `schemes`. */
export async function validateSchemes(
  pool: TaskPool,
  data: { observations: readonly Observation[]; world: World },
  schemes: readonly Scheme[],
  options: PaperValidationOptions = {},
): Promise<ValidationReport[]> {
  const bootstrap = options.bootstrap ?? 100;
  const plan = schemes.map((scheme) => ({
    scheme,
    folds: validationFolds(data.observations, scheme, options.seed ?? 1),
  }));
  const inputs = plan.flatMap(({ scheme, folds }) =>
    folds.map(({ fold, seed }) => ({
      obs: data.observations,
      world: data.world,
      scheme,
      fold,
      bootstrap,
      seed,
      ...(options.priors ? { priors: options.priors } : {}),
    })),
  );
  const state = { done: 0, total: inputs.length };
  const results = await Promise.all(
    inputs.map((input) =>
      progress(
        pool.map("validate-fold", [input]).then((r) => r[0]!),
        input.fold,
        state,
        options.onFold,
      ),
    ),
  );
  let at = 0;
  return plan.map(({ scheme, folds }) => {
    const perFold = results.slice(at, (at += folds.length));
    return validationReport(scheme, bootstrap, perFold);
  });
}

/** The corpus schemes' reports, in the order of `schemes`. */
export async function validateCommunitySchemes(
  pool: TaskPool,
  inputs: { cases: readonly CommunityCase[]; powerCases: readonly PowerCase[] },
  schemes: readonly CommunityScheme[],
  onFold?: PaperValidationOptions["onFold"],
): Promise<CommunityValidation[]> {
  const start = fitCommunityModel(inputs.cases);
  const plan = schemes.map((scheme) => ({ scheme, folds: communityFolds(inputs.cases, inputs.powerCases, scheme) }));
  const tasks = plan.flatMap(({ scheme, folds }) =>
    folds.map((fold) => ({ cases: inputs.cases, powerCases: inputs.powerCases, scheme, fold, start })),
  );
  const state = { done: 0, total: tasks.length };
  const results = await Promise.all(
    tasks.map((t) =>
      progress(
        pool.map("community-fold", [t]).then((r) => r[0]!),
        t.fold,
        state,
        onFold,
      ),
    ),
  );
  let at = 0;
  return plan.map(({ scheme, folds }) => communityReport(scheme, results.slice(at, (at += folds.length))));
}

/** `calibrate` with its bootstrap refits on the pool (tasks of 10 replicates); the same calibration. */
export async function calibrateOnPool(
  pool: TaskPool,
  obs: readonly Observation[],
  world: World,
  options: CalibrateOptions = {},
): Promise<Calibration> {
  const plan = planCalibration(obs, world, options);
  const perTask = await pool.map("calibrate-replicates", replicateTasks(plan, 10));
  return finishCalibration(plan, perTask.flat());
}
