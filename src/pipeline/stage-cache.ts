import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../io/atomic-write.js";
import type { Written } from "./written.js";

/**
 * The reproduce stage cache: after a stage runs, `.cache/reproduce/<stage>.json` records a hash of
 * its exact inputs (the bytes of every file under the paths it reads, less its own outputs), of
 * the code (every compiled module of this build and package-lock.json) and of each output file.
 * On the next run a stage whose record matches all three is skipped ("cached"); a deleted or
 * edited output, a changed input or a new build reruns it. Nothing here decides what a stage
 * computes: a skipped stage's outputs are byte for byte those it would write.
 */

/** Bump when the record's meaning changes: every stage then reruns once. */
const SCHEMA = 1;
export const CACHE_DIR = ".cache/reproduce";

export interface StageRecord {
  schema: number;
  code: string;
  inputs: string;
  /** Output path (relative to the root) → sha256 of its bytes. */
  outputs: Record<string, string>;
}

const sha = (bytes: Uint8Array | string): string => createHash("sha256").update(bytes).digest("hex");

/** Every file under `abs` (a file or a folder), sorted, as paths relative to `root`. */
function filesUnder(root: string, abs: string, out: string[]): void {
  if (!existsSync(abs)) return;
  if (!statSync(abs).isDirectory()) {
    out.push(relative(root, abs).split("\\").join("/"));
    return;
  }
  for (const name of readdirSync(abs).sort()) filesUnder(root, join(abs, name), out);
}

/** One hash of the names and bytes of every file under `paths`, leaving out `exclude`. */
export function hashFiles(root: string, paths: readonly string[], exclude: ReadonlySet<string> = new Set()): string {
  const files: string[] = [];
  for (const p of paths) filesUnder(root, join(root, p), files);
  const h = createHash("sha256");
  for (const f of [...new Set(files)].sort()) {
    if (exclude.has(f)) continue;
    h.update(f)
      .update("\0")
      .update(sha(readFileSync(join(root, f))))
      .update("\n");
  }
  return h.digest("hex");
}

let codeHash: string | undefined;
/** The code version: every module of the tree this one runs from (dist/ or src/), and package-lock.json. */
export function codeVersion(root: string): string {
  if (codeHash !== undefined) return codeHash;
  const tree = dirname(dirname(fileURLToPath(import.meta.url)));
  const h = createHash("sha256").update(hashFiles(tree, ["."]));
  const lock = join(root, "package-lock.json");
  h.update(existsSync(lock) ? sha(readFileSync(lock)) : "no lock");
  return (codeHash = h.digest("hex"));
}

const recordPath = (root: string, stage: string): string => join(root, CACHE_DIR, `${stage}.json`);

function readRecord(root: string, stage: string): StageRecord | null {
  try {
    const r = JSON.parse(readFileSync(recordPath(root, stage), "utf8")) as StageRecord;
    return r.schema === SCHEMA && typeof r.outputs === "object" ? r : null;
  } catch {
    return null; // no record, or a damaged one: the stage just runs
  }
}

/** The hash of an output: a file's bytes, or a folder's files (names and bytes; the Parquet copy); null when absent. */
function outputHash(root: string, path: string): string | null {
  const abs = resolve(root, path);
  if (!existsSync(abs)) return null;
  return statSync(abs).isDirectory() ? hashFiles(root, [relative(root, abs)]) : sha(readFileSync(abs));
}

/** The outputs a stage would write, as unchanged, when its record still holds; else null. */
export function cachedStage(root: string, stage: string, inputs: readonly string[]): Written[] | null {
  const r = readRecord(root, stage);
  if (r === null || r.code !== codeVersion(root)) return null;
  const outs = Object.keys(r.outputs);
  if (outs.some((p) => outputHash(root, p) !== r.outputs[p])) return null;
  if (hashFiles(root, inputs, new Set(outs)) !== r.inputs) return null;
  return outs.map((path) => ({ path, changed: false }));
}

/** Record what a stage that just ran read and wrote. */
export function recordStage(root: string, stage: string, inputs: readonly string[], written: readonly Written[]): void {
  const outputs: Record<string, string> = {};
  for (const w of written) {
    const h = outputHash(root, w.path);
    if (h === null) return; // an output it did not leave on disk: nothing to trust, no record
    outputs[w.path] = h;
  }
  const record: StageRecord = {
    schema: SCHEMA,
    code: codeVersion(root),
    inputs: hashFiles(root, inputs, new Set(Object.keys(outputs))),
    outputs,
  };
  writeFileAtomic(recordPath(root, stage), JSON.stringify(record, null, 2) + "\n", "reproduce cache record");
}
