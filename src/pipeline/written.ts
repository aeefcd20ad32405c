import { join, relative } from "node:path";
import { writeFileAtomic } from "../io/atomic-write.js";

/** A file an output stage wrote (or found already up to date). */
export interface Written {
  /** Relative to the project root where the file lies under it, else as given. */
  path: string;
  changed: boolean;
}

/**
 * A writer of named files into `outDir`, collecting what it wrote (paths relative to `root`).
 * Atomic and idempotent: unchanged files are not rewritten.
 */
export function outputFolder(
  root: string,
  outDir: string,
): { put(name: string, content: string): void; written: Written[] } {
  const written: Written[] = [];
  return {
    written,
    put(name, content) {
      const path = join(outDir, name);
      written.push({ path: relative(root, path) || path, changed: writeFileAtomic(path, content) });
    },
  };
}
