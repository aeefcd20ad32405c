/**
 * Writes a run bundle as the collector goes, so that any interruption leaves a valid one:
 * `manifest.json` and `run.json` are written first (atomically) and finalized at the end; each
 * inference record and each power reading is written to its file as soon as it exists (one
 * write per line, no buffering in this process), so Ctrl-C or a crash loses at most the
 * inference in flight.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, writeSync } from "node:fs";
import { join } from "node:path";
import { usageError } from "../../errors.js";
import type { BundleManifestV1, CollectorRecordV1 } from "../../ingest/types.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { INFERENCE_FILE } from "../../collect/collect.js";

export { INFERENCE_FILE };
export const RUN_FILE = "run.json";
export const MANIFEST_FILE = "manifest.json";

/** A bundle goes into a new or empty folder: raw data are never overwritten. */
export function assertFreshBundleDir(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw usageError(
      `the bundle folder ${dir} exists and is not empty`,
      "choose a new folder for the bundle (raw data are never overwritten)",
    );
  }
}

export class BundleWriter {
  private readonly fds = new Map<string, number>();
  private closed = false;

  private constructor(readonly dir: string) {}

  /** Create the bundle folder (it must not exist or be empty) and write the first manifest. */
  static create(dir: string, manifest: BundleManifestV1, run: object): BundleWriter {
    assertFreshBundleDir(dir);
    mkdirSync(dir, { recursive: true });
    const w = new BundleWriter(dir);
    w.writeManifest(manifest);
    w.writeRun(run);
    w.open(INFERENCE_FILE);
    return w;
  }

  writeManifest(m: BundleManifestV1): void {
    writeFileAtomic(join(this.dir, MANIFEST_FILE), JSON.stringify(m, null, 2) + "\n");
  }

  writeRun(run: object): void {
    writeFileAtomic(join(this.dir, RUN_FILE), JSON.stringify(run, null, 2) + "\n");
  }

  private open(name: string): number {
    let fd = this.fds.get(name);
    if (fd === undefined) {
      fd = openSync(join(this.dir, name), "a");
      this.fds.set(name, fd);
    }
    return fd;
  }

  /** Append text (or bytes, as a command printed them) to a raw file of the bundle, straight to the OS. */
  append(name: string, data: string | Uint8Array): void {
    if (this.closed) return;
    if (typeof data === "string") writeSync(this.open(name), data);
    else writeSync(this.open(name), data);
  }

  /**
   * Replace the inference records written so far by `records` (atomically): measure's windows
   * complete in the order their blocks were printed, ingest reads them in start order.
   */
  rewriteRecords(records: readonly CollectorRecordV1[]): void {
    if (this.closed) return;
    const fd = this.fds.get(INFERENCE_FILE);
    if (fd !== undefined) closeSync(fd);
    this.fds.delete(INFERENCE_FILE);
    writeFileAtomic(join(this.dir, INFERENCE_FILE), records.map((r) => JSON.stringify(r) + "\n").join(""));
  }

  appendRecord(r: CollectorRecordV1): void {
    this.append(INFERENCE_FILE, JSON.stringify(r) + "\n");
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}
