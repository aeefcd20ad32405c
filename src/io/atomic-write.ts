import { mkdirSync, renameSync, writeFileSync, rmSync, readFileSync, existsSync } from "node:fs";
import { dirname, basename, join } from "node:path";

/**
 * Write a file atomically: the content goes to a temporary file in the same folder, which is then
 * renamed over the target, so a reader never sees a half-written file and a crash leaves the old
 * one intact. Creates missing parent folders.
 *
 * @returns `true` if the file changed, `false` when it already held exactly this content (then it
 *   is not touched, so regenerated outputs do not churn timestamps).
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): boolean {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
  if (existsSync(path)) {
    const old = readFileSync(path);
    if (old.equals(bytes)) return false;
  }
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return true;
}
