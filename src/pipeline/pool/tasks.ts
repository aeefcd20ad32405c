import { refitReplicates, type ReplicateTask } from "../../model/calibrate.js";
import type { CommunityCase } from "../../model/community/case.js";
import type { CommunityModel } from "../../model/community/fit.js";
import type { PowerCase } from "../../model/community/power.js";
import { communityFold, type CommunityFoldResult, type CommunityScheme } from "../../model/community/validate.js";
import type { Priors } from "../../model/fit.js";
import type { Observation } from "../../model/observations.js";
import { validateFold, type Scheme, type ValidationCell } from "../../model/validate.js";
import type { World } from "../../model/world.js";

/**
 * The tasks a pool worker runs: pure functions of plain data (structured-cloned to the worker),
 * so the same input gives the same bytes in any thread.
 */
export interface Tasks {
  /** One fold of a paper scheme (`validate --scheme loo-pair|loo-model|loo-device`). */
  "validate-fold": {
    input: {
      obs: readonly Observation[];
      world: World;
      scheme: Scheme;
      fold: string;
      bootstrap: number;
      seed: number;
      priors?: Readonly<Priors>;
    };
    output: ValidationCell[];
  };
  /** One fold of a corpus scheme (`validate --scheme loo-board|loo-source|loo-runtime`). */
  "community-fold": {
    input: {
      cases: readonly CommunityCase[];
      powerCases: readonly PowerCase[];
      scheme: CommunityScheme;
      fold: string;
      start: CommunityModel;
    };
    output: CommunityFoldResult;
  };
  /** Bootstrap replicates of a calibration, refitted from its estimate (`calibrate`). */
  "calibrate-replicates": { input: ReplicateTask; output: number[][] };
}
export type TaskKind = keyof Tasks;
export type TaskInput<K extends TaskKind> = Tasks[K]["input"];
export type TaskOutput<K extends TaskKind> = Tasks[K]["output"];

const HANDLERS: { [K in TaskKind]: (input: TaskInput<K>) => TaskOutput<K> } = {
  "validate-fold": (t) =>
    validateFold(t.obs, t.world, t.scheme, t.fold, {
      bootstrap: t.bootstrap,
      seed: t.seed,
      ...(t.priors ? { priors: t.priors } : {}),
    }),
  "community-fold": (t) => communityFold(t.cases, t.powerCases, t.scheme, t.fold, t.start),
  "calibrate-replicates": refitReplicates,
};

export function runTask<K extends TaskKind>(kind: K, input: TaskInput<K>): TaskOutput<K> {
  const handler = HANDLERS[kind] as ((i: TaskInput<K>) => TaskOutput<K>) | undefined;
  if (handler === undefined) throw new Error(`unknown task "${String(kind)}"`);
  return handler(input);
}
