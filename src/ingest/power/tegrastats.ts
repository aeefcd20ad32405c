import { inputError } from "../../errors.js";
import type { PowerFormatSpec, PowerLineParser, PowerParseContext } from "./parser.js";
import { parseStampLineS } from "./time.js";

/**
 * NVIDIA `tegrastats`, one reading per line.
 *
 * - Jetson Nano (JetPack 4): `POM_5V_IN 4520/4680 POM_5V_GPU 0/0 POM_5V_CPU 1078/1205` — mW
 *   without a unit. Orin (JetPack 5/6): `VDD_IN 2957mW/2957mW VDD_CPU_GPU_CV 486mW/486mW …`.
 * - The first number of a rail is the current reading; the second is a running average since
 *   tegrastats started, which says nothing about this interval and is ignored.
 * - Thor / JetPack 7: `VDD_GPU` (was `VDD_GPU_SOC`), input rail `VIN`, no `GR3D_FREQ`, lowercase
 *   temperatures that may carry a `/limit` suffix (`tj@48.5C/105C`), rails printed as `cur/avg`
 *   or as one value with its unit (`VDD_GPU 2376mW`).
 * - Total power (see `TotalRule`): the input rail (`POM_5V_IN`, `VDD_IN`, `VIN`, or the caller's
 *   `inputRail`), whose inner rails are kept in `railsW` only; on a board without one, the sum
 *   NVIDIA documents for it (`BOARD_SUM_RULES`: AGX Orin) or the caller's `sumRails`.
 * - A rail with a unit not known is fatal when the total needs it; on another rail, only that
 *   rail's reading is set aside (quarantined) and the total stands.
 * - A time stamp before the payload is read when present (`09-21-2025 15:38:17 RAM …` as
 *   JetPack 5/6 prints it, or an epoch / ISO time a wrapper adds); without one, `tS` is null and
 *   the reader spaces readings by `--interval`.
 */

export const KNOWN_INPUT_RAILS = ["POM_5V_IN", "VDD_IN", "VIN"] as const;

/**
 * Boards whose tegrastats prints no input rail, and the rails whose sum is the module's total,
 * as NVIDIA documents them. Jetson AGX Orin: the module's INA3221 at 0x40 monitors VDD_GPU_SOC,
 * VDD_CPU_CV and VIN_SYS_5V0 (NVIDIA Jetson Linux Developer Guide r35–r36, "Platform Power and
 * Performance › Jetson Orin Nano, Orin NX and AGX Orin Series", power monitor table,
 * https://docs.nvidia.com/jetson/archives/r36.3/DeveloperGuide/SD/PlatformPowerAndPerformance/JetsonOrinNanoSeriesJetsonOrinNxSeriesAndJetsonAgxOrinSeries.html;
 * the supplies behind them per NVIDIA's forum answer "Jetson AGX Orin INA3221 power monitor
 * layout", https://forums.developer.nvidia.com/t/jetson-agx-orin-ina3221-power-monitor-layout/223111,
 * summarised in energymon/energymon jetson/JetsonPowerRails.md at a95cefba): SYS_VIN_HV feeds
 * GPU/SOC and CPU/CV, SYS_VIN_MV feeds VIN_SYS_5V0, and VDDQ_VDD2_1V8AO (at 0x41) is fed from
 * VIN_SYS_5V0 — inside it, so never added. The sum is the module, not the carrier board.
 */
export const BOARD_SUM_RULES: readonly { board: string; rails: readonly string[] }[] = [
  { board: "Jetson AGX Orin", rails: ["VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0"] },
];

/** How a reading's total power is taken: one input rail, or a sum of separate supplies. */
export type TotalRule =
  { kind: "input"; rail: string; chosen: boolean } | { kind: "sum"; rails: readonly string[]; board: string | null };

/** The rule in words, for summaries (`inspect`, `ingest`). */
export function totalRuleText(r: TotalRule): string {
  if (r.kind === "input") return `input rail ${r.rail}${r.chosen ? " (named by the caller)" : ""}`;
  const sum = r.rails.join(" + ");
  return r.board === null
    ? `sum ${sum} (named by the caller)`
    : `sum ${sum} (${r.board} rule: no input rail; NVIDIA's documented module rails)`;
}

/** True for the plain rule (the board's own input rail, detected): summaries need not repeat it. */
export const isDetectedInputRule = (text: string): boolean => /^input rail [A-Za-z0-9_]+$/.test(text);

// NAME cur[unit]/avg[unit] (or NAME cur-with-unit, as JetPack 7 may print), then white space or the end.
const RAIL = /(?:^|\s)([A-Za-z][A-Za-z0-9_]*) (\d+(?:\.\d+)?)([A-Za-z]*)(?:\/(\d+(?:\.\d+)?)([A-Za-z]*))?(?=\s|$)/g;
const RAM = /(?:^|\s)RAM \d+\/\d+[kMG]B/;
const RAIL_LIKE = /^(?:POM_|VDD|VIN|VDDQ)/;
/** Divisor from the printed unit to W. */
const UNIT_DIV: Record<string, number> = { "": 1000, mW: 1000, W: 1 };

function sniff(head: string) {
  const lines = head
    .split(/\r?\n|\r/)
    .filter((l) => l.trim() !== "")
    .slice(0, 20);
  if (lines.length === 0) return { score: 0, reason: "no lines" };
  const hits = lines.filter(
    (l) =>
      /\b(?:POM_5V_IN|VDD_IN|POM_\w+|VDD_\w+) \d+(?:mW)?\/\d+/.test(l) || /\bVDD_\w+ \d+mW\b/.test(l) || RAM.test(l),
  ).length;
  return hits === 0
    ? { score: 0, reason: "no RAM or POM_/VDD_ rail readings" }
    : {
        score: 0.5 + 0.5 * (hits / lines.length),
        reason: `${hits} of ${lines.length} lines look like tegrastats readings`,
      };
}

/** The rails of a line (W), where the first one starts (-1 without any), and rails with a unit not known. */
function readRails(text: string): {
  railsW: Record<string, number>;
  first: number;
  badUnits: { name: string; unit: string }[];
} {
  RAIL.lastIndex = 0;
  const railsW: Record<string, number> = {};
  const badUnits: { name: string; unit: string }[] = [];
  let first = -1;
  let m: RegExpExecArray | null;
  while ((m = RAIL.exec(text)) !== null) {
    const [, name, cur, curUnit, avg, avgUnitRaw] = m as unknown as [string, string, string, string, string?, string?];
    const single = avg === undefined;
    const avgUnit = avgUnitRaw ?? "";
    // `APE 174`, `RAM 1180/3965MB`, `SWAP …`: not rails. A single value is a rail only with a power unit.
    if (!RAIL_LIKE.test(name) && (single || !(curUnit in UNIT_DIV) || !(avgUnit in UNIT_DIV))) continue;
    if (single && curUnit !== "mW" && curUnit !== "W") {
      if (!RAIL_LIKE.test(name) || curUnit === "") continue;
    }
    if (!(curUnit in UNIT_DIV) || !(avgUnit in UNIT_DIV)) {
      badUnits.push({ name, unit: curUnit in UNIT_DIV ? avgUnit : curUnit });
      continue;
    }
    if (first < 0) first = m.index + (m[0].startsWith(" ") || m[0].startsWith("\t") ? 1 : 0);
    railsW[name] = Number(cur) / UNIT_DIV[curUnit]!;
  }
  return { railsW, first, badUnits };
}

/** The rule the caller asked for (`inputRail`, `A+B` in inputRail, or `sumRails`), or null. */
function chosenRule(ctx: PowerParseContext): TotalRule | null {
  const { inputRail, sumRails } = ctx.options;
  if (sumRails !== undefined && sumRails.length > 0) return { kind: "sum", rails: sumRails, board: null };
  if (inputRail === undefined) return null;
  // `A+B+C` in inputRail: the older spelling of sumRails.
  if (inputRail.includes("+")) return { kind: "sum", rails: inputRail.split("+").map((p) => p.trim()), board: null };
  return { kind: "input", rail: inputRail, chosen: true };
}

/** The rule for a reading with these rails: the caller's, else the input rail, else a board's sum; null when none. */
function ruleFor(chosen: TotalRule | null, railsW: Record<string, number>): TotalRule | null {
  if (chosen !== null) return chosen;
  const input = KNOWN_INPUT_RAILS.find((r) => r in railsW);
  if (input !== undefined) return { kind: "input", rail: input, chosen: false };
  const b = BOARD_SUM_RULES.find((r) => r.rails.every((n) => n in railsW));
  return b === undefined ? null : { kind: "sum", rails: b.rails, board: b.board };
}

const ruleRails = (r: TotalRule): readonly string[] => (r.kind === "input" ? [r.rail] : r.rails);

const NO_INPUT_HINT =
  "this board's total has another name: name the rail that measures the whole module (inputRail), or the " +
  "separate supplies whose sum is the total (sumRails; AGX Xavier: GPU, CPU, SOC, CV, VDDRQ, SYS5V) — " +
  "never the inner rails of an input rail";

function create(ctx: PowerParseContext): PowerLineParser {
  const chosen = chosenRule(ctx);
  const wantedText = chosen === null ? KNOWN_INPUT_RAILS.join(", ") : ruleRails(chosen).join(" + ");
  let railsWithoutInput: { line: number; rails: string[] } | null = null;
  let emitted = 0;
  return {
    line(text, line) {
      const { railsW, first, badUnits } = readRails(text);
      const ram = RAM.exec(text);
      const payloadAt = Math.min(
        first < 0 ? Infinity : first,
        ram ? ram.index + (ram[0].startsWith("RAM") ? 0 : 1) : Infinity,
      );
      if (payloadAt === Infinity && badUnits.length === 0) {
        ctx.quarantine(line, text, "not a tegrastats reading (no RAM figure and no power rails)");
        return;
      }
      const names = Object.keys(railsW);
      const rule = ruleFor(chosen, { ...railsW, ...Object.fromEntries(badUnits.map((b) => [b.name, 0])) });
      const needed = rule === null ? [] : ruleRails(rule);
      const badTotal = badUnits.find((b) => needed.includes(b.name));
      if (badTotal !== undefined) {
        throw inputError(`unknown power unit "${badTotal.unit}" on rail ${badTotal.name}`, {
          file: ctx.file,
          line,
          field: badTotal.name,
          text,
          hint:
            "tegrastats prints rails in mW (with or without the unit); " +
            "convert the log or report the tegrastats version",
        });
      }
      for (const b of badUnits) {
        // A rail that is not part of the total: its reading alone is set aside, the total stands.
        ctx.quarantine(
          line,
          text,
          `unknown power unit "${b.unit}" on rail ${b.name} (not part of the total): rail reading set aside`,
        );
      }
      if (rule === null || !needed.every((n) => n in railsW)) {
        if (names.length > 0 && railsWithoutInput === null) railsWithoutInput = { line, rails: names };
        ctx.quarantine(
          line,
          text,
          names.length === 0
            ? "reading without power rails (truncated line?)"
            : `no input rail ${chosen === null ? KNOWN_INPUT_RAILS.join(" or ") : wantedText} ` +
                `among ${names.join(", ")}`,
          { reading: true },
        );
        return;
      }
      const prefix = text.slice(0, payloadAt).trim();
      let tS: number | null = null;
      if (prefix !== "") {
        tS = parseStampLineS(prefix);
        if (tS === null) {
          ctx.quarantine(line, text, `unreadable time stamp "${prefix}" before the reading`, { reading: true });
          return;
        }
      }
      emitted++;
      ctx.setRail(needed.join("+"));
      ctx.setTotalRule(totalRuleText(rule));
      const powerW = needed.reduce((sum, p) => sum + railsW[p]!, 0);
      ctx.emit({ tS, powerW, railsW, line });
    },
    end() {
      if (emitted === 0 && railsWithoutInput !== null) {
        throw inputError(`tegrastats rails found but no total input rail (${wantedText})`, {
          file: ctx.file,
          line: railsWithoutInput.line,
          field: "inputRail",
          text: railsWithoutInput.rails.join(" "),
          hint: NO_INPUT_HINT,
        });
      }
    },
  };
}

export const tegrastats: PowerFormatSpec = {
  format: "tegrastats",
  title: "NVIDIA tegrastats (POM_*/VDD_* rails)",
  sniff,
  create,
};
