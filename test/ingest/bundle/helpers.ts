import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const BUNDLES = fileURLToPath(new URL("../../fixtures/bundles/", import.meta.url));
export const ORIN = join(BUNDLES, "orin-gpu-llama32-hellaswag");
export const RPI = join(BUNDLES, "rpi5-tinyllama-mmlu");

/** A scratch copy of a fixture bundle (under a fresh temp folder), to corrupt at will. */
export function copyBundle(src: string, name = src.split(/[\\/]/).filter(Boolean).pop()!): string {
  const root = mkdtempSync(join(tmpdir(), "slm-bundle-"));
  const dst = join(root, name);
  cpSync(src, dst, { recursive: true });
  return dst;
}

export function editManifest(dir: string, edit: (m: Record<string, unknown>) => void): void {
  const p = join(dir, "manifest.json");
  const m = JSON.parse(readFileSync(p, "utf8")) as Record<string, unknown>;
  edit(m);
  writeFileSync(p, JSON.stringify(m, null, 2));
}

/** Independent reference: trapezoid of (t, P) points over [a, b], linear interpolation at the edges. */
export function referenceEnergyJ(points: readonly [number, number][], a: number, b: number): number {
  let e = 0;
  for (let i = 1; i < points.length; i++) {
    const [t0, p0] = points[i - 1]!;
    const [t1, p1] = points[i]!;
    const lo = Math.max(a, t0);
    const hi = Math.min(b, t1);
    if (hi <= lo) continue;
    const at = (t: number) => p0 + ((p1 - p0) * (t - t0)) / (t1 - t0);
    e += ((at(lo) + at(hi)) / 2) * (hi - lo);
  }
  return e;
}
