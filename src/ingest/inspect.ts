import { inputError } from "../errors.js";
import { looksLikeLmEval } from "./accuracy/lm-eval.js";
import { detectInferenceFormatDetailed, isInferenceFormat } from "./inference/detect.js";
import { resolveInferenceFormat } from "./inference/read.js";
import { DETECT_MIN_SCORE, detectPowerFormat, rankPowerFormats } from "./power/detect.js";
import { parsePowerText } from "./power/read.js";
import { findVcgencmdNotRegistered, noPmicAdcError } from "./power/vcgencmd.js";
import {
  ACCURACY_FORMATS,
  INFERENCE_FORMATS,
  POWER_FORMATS,
  type AccuracyFormat,
  type InferenceFormat,
  type IngestWarning,
  type PowerFormat,
  type PowerSample,
  type QuarantineEntry,
} from "./types.js";

/** `inspect --json` for a power log (field names are an interface: keep them). */
export interface PowerInspection {
  kind: "power";
  format: PowerFormat;
  samples: number;
  duration_s: number;
  /** Trapezoid over the whole file, total (input) rail. */
  energy_j: number;
  mean_power_w: number | null;
  /** The rail whose power is the total (`A+B+C` for a sum). */
  rail: string;
  /** How the total was taken, in words (tegrastats: input rail, board rule or the caller's sum), else null. */
  total_rule: string | null;
}

export interface InferenceInspection {
  kind: "inference";
  format: InferenceFormat;
  records: {
    prompt_tokens: number | null;
    prompt_ms: number | null;
    gen_tokens: number | null;
    gen_ms: number | null;
  }[];
}

export interface AccuracyInspection {
  kind: "accuracy";
  format: AccuracyFormat;
  results: { task: string; metric: string; value: number; stderr: number | null; n: number | null }[];
}

export type Inspection = PowerInspection | InferenceInspection | AccuracyInspection;

export interface InspectResult {
  inspection: Inspection;
  quarantined: QuarantineEntry[];
  warnings: IngestWarning[];
}

const FALLBACK_RAIL: Record<PowerFormat, string> = {
  tegrastats: "input rail",
  "jtop-csv": "Power TOT",
  pmic: "PMIC rails (sum of V×I)",
  fnirsi: "USB VBUS (voltage_V × current_A)",
  "usb-csv": "meter input",
  "nvidia-smi": "power.draw",
  rapl: "RAPL energy_uj",
  codecarbon: "energy_consumed",
};

/**
 * Name of the rail a power reading's total comes from: the rail in `railsW` whose power is the
 * total (tegrastats `VDD_IN` / `POM_5V_IN`, a jtop input rail), else what the format measures.
 */
export function totalRailName(format: PowerFormat, sample: PowerSample | null): string {
  if (sample?.railsW && format !== "pmic" && format !== "nvidia-smi" && format !== "codecarbon") {
    for (const [name, w] of Object.entries(sample.railsW)) if (w === sample.powerW) return name;
  }
  return FALLBACK_RAIL[format];
}

/** Which kind a format id belongs to, or null. */
export function kindOfFormat(format: string): "power" | "inference" | "accuracy" | null {
  if ((POWER_FORMATS as readonly string[]).includes(format)) return "power";
  if (isInferenceFormat(format)) return "inference";
  if ((ACCURACY_FORMATS as readonly string[]).includes(format)) return "accuracy";
  return null;
}

/**
 * Recognise any raw file: accuracy results, then inference logs, then power logs. Fatal when
 * the file is empty, mixed or of no known format (the error lists the formats read).
 */
export function detectKind(head: string, file: string): { kind: "power" | "inference" | "accuracy"; format: string } {
  if (head.trim() === "")
    throw inputError("the file is empty", { file, hint: "check that the logger or tool wrote to this file" });
  if (looksLikeLmEval(head)) return { kind: "accuracy", format: "lm-eval-json" };
  const d = detectInferenceFormatDetailed(head);
  if (d.format !== null) return { kind: "inference", format: d.format };
  // resolveInferenceFormat throws with the reason
  if (d.unsupported || d.evidence.length > 1) return { kind: "inference", format: resolveInferenceFormat(head, file) };
  // vcgencmd's refusal is no power log at all, though the pmic sniffer recognises it.
  const vcgencmd = findVcgencmdNotRegistered(head);
  if (vcgencmd !== null) throw noPmicAdcError(file, vcgencmd);
  const power = detectPowerFormat(head);
  if (power !== null) return { kind: "power", format: power };
  const first = firstTextLine(head);
  throw inputError("cannot recognise this file", {
    file,
    ...(first === null ? {} : { line: first.line, text: first.text }),
    hint:
      `name its format with --format: power ${POWER_FORMATS.join(", ")}; ` +
      `inference ${INFERENCE_FORMATS.join(", ")}; accuracy ${ACCURACY_FORMATS.join(", ")}. ` +
      closestFormats(head),
  });
}

/** The first line with text (1-based, as an editor numbers it) and its text, or null. */
export function firstTextLine(head: string): { line: number; text: string } | null {
  const lines = head.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const i = lines.findIndex((l) => l.trim() !== "");
  return i < 0 ? null : { line: i + 1, text: lines[i]!.trim() };
}

/**
 * What the format sniffer made of a text it could not place: the best-scoring formats with their
 * scores (0 … 1; detection needs `DETECT_MIN_SCORE` and a lead) and why, for the error message.
 */
export function closestFormats(head: string, max = 3): string {
  const ranked = rankPowerFormats(head).slice(0, max);
  const list = ranked.map((g) => `${g.format} ${g.score.toFixed(2)} (${g.reason})`).join("; ");
  const none = "no inference or accuracy format's signature found";
  if ((ranked[0]?.score ?? 0) === 0)
    return `No format scored above 0 (0 to 1, ${DETECT_MIN_SCORE} needed): ${list}; ${none}`;
  return `Closest, as the format sniffer scored them (0 to 1, ${DETECT_MIN_SCORE} needed): ${list}; ${none}`;
}

/** First reading of a log's head (for naming its total rail), or null. */
export function firstSample(head: string, format: PowerFormat, intervalMs?: number): PowerSample | null {
  try {
    return (
      parsePowerText(head, {
        format,
        ...(intervalMs === undefined ? {} : { intervalMs }),
        onQuarantine: () => undefined,
      }).samples[0] ?? null
    );
  } catch {
    return null;
  }
}
