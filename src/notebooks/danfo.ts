/**
 * danfojs for notebooks, typed: `danfo()` is the danfojs module, `dataFrame(rows)` a frame of plain
 * records. Notebooks import these instead of repeating `require("danfojs")` with a type cast.
 *
 * danfojs declares its types only under package.json `exports`, which tslab's TypeScript (Node10
 * resolution) cannot see, so the types are named by their file: the relative path resolves from
 * src/notebooks/ here and from dist/notebooks/ in the built package alike.
 *
 * Caveat (research/toolchain.md): danfojs does DataFrame arithmetic (`df.add`, `df.mul`, …) in
 * float32 (0.1 + 0.1 → 0.20000000298). Compute in plain float64 code and use frames for shaping
 * and display only; `dataFrame` takes records whose numbers are already final.
 */
import { createRequire } from "node:module";
import type * as Danfo from "../../node_modules/danfojs/dist/danfojs-browser/src/index.js";

/** The danfojs module. */
export type DanfoModule = typeof Danfo;
/** A danfojs DataFrame. */
export type DataFrame = InstanceType<DanfoModule["DataFrame"]>;

let cached: DanfoModule | undefined;

/** The danfojs module, loaded on first use (importing slm-energy stays fast). */
export function danfo(): DanfoModule {
  cached ??= createRequire(import.meta.url)("danfojs") as DanfoModule;
  return cached;
}

/** A frame of `rows` (one record per row, columns from the keys) for shaping and display. */
export function dataFrame(rows: readonly Record<string, unknown>[]): DataFrame {
  const dfd = danfo();
  return new dfd.DataFrame(rows);
}
