import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project root: $SLM_ENERGY_ROOT when set, else the folder above this package's dist/ or src/
 * that holds package.json and data/.
 */
export function projectRoot(): string {
  const env = process.env.SLM_ENERGY_ROOT;
  if (env) return resolve(env);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "data"))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}
