/**
 * The model's fitted parameters as typed records: what each one is and what it belongs to (a
 * platform, a quantization family, a benchmark, a model). The calibration file spells them as
 * `kind@owner` strings; that spelling lives in io/calibration.ts and nowhere else.
 */
export type PlatformParamKind = "etaCompute" | "etaMemory" | "overheadS";
export type PowerParamKind = "prefillPowerW" | "decodePowerW";

export type ParamKey =
  | { kind: PlatformParamKind | PowerParamKind; platform: string }
  | { kind: "quantFactor"; quantFamily: string }
  | { kind: "promptTokens"; benchmark: string }
  | { kind: "genTokens"; benchmark: string; model: string };

/** Parameters of the time stage (everything but the phase powers). */
export const isPowerParam = (k: ParamKey): boolean => k.kind === "prefillPowerW" || k.kind === "decodePowerW";

/** A key's identity, for lookups (two keys with the same id are the same parameter). */
export function paramId(k: ParamKey): string {
  switch (k.kind) {
    case "quantFactor":
      return `${k.kind}|${k.quantFamily}`;
    case "promptTokens":
      return `${k.kind}|${k.benchmark}`;
    case "genTokens":
      return `${k.kind}|${k.benchmark}|${k.model}`;
    default:
      return `${k.kind}|${k.platform}`;
  }
}

/** The index of a parameter in a key list, or -1. */
export function paramIndex(keys: readonly ParamKey[], k: ParamKey): number {
  const id = paramId(k);
  return keys.findIndex((x) => paramId(x) === id);
}
