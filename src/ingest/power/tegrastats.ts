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
 * - Total power is the input rail (`POM_5V_IN`, `VDD_IN`, or `inputRail`): the other rails are
 *   inside it and are kept in `railsW` only.
 * - A time stamp before the payload is read when present (`09-21-2025 15:38:17 RAM …` as
 *   JetPack 5/6 prints it, or an epoch / ISO time a wrapper adds); without one, `tS` is null and
 *   the reader spaces readings by `--interval`.
 */

export const KNOWN_INPUT_RAILS = ["POM_5V_IN", "VDD_IN", "VIN"] as const;

// NAME cur[unit]/avg[unit], followed by white space or the end of the line.
const RAIL = /(?:^|\s)([A-Za-z][A-Za-z0-9_]*) (\d+(?:\.\d+)?)([A-Za-z]*)\/(\d+(?:\.\d+)?)([A-Za-z]*)(?=\s|$)/g;
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
    (l) => /\b(?:POM_5V_IN|VDD_IN|POM_\w+|VDD_\w+) \d+(?:mW)?\/\d+/.test(l) || RAM.test(l),
  ).length;
  return hits === 0
    ? { score: 0, reason: "no RAM or POM_/VDD_ rail readings" }
    : {
        score: 0.5 + 0.5 * (hits / lines.length),
        reason: `${hits} of ${lines.length} lines look like tegrastats readings`,
      };
}

/** The rails of a line (W) and where the first one starts (-1 without any); an unknown unit is fatal. */
function readRails(text: string, line: number, file: string): { railsW: Record<string, number>; first: number } {
  RAIL.lastIndex = 0;
  const railsW: Record<string, number> = {};
  let first = -1;
  let m: RegExpExecArray | null;
  while ((m = RAIL.exec(text)) !== null) {
    const [, name, cur, curUnit, , avgUnit] = m as unknown as [string, string, string, string, string, string];
    if (!(curUnit in UNIT_DIV) || !(avgUnit in UNIT_DIV)) {
      if (RAIL_LIKE.test(name)) {
        throw inputError(`unknown power unit "${curUnit || avgUnit}" on rail ${name}`, {
          file,
          line,
          field: name,
          text,
          hint:
            "tegrastats prints rails in mW (with or without the unit); " +
            "convert the log or report the tegrastats version",
        });
      }
      continue; // RAM 1180/3965MB, SWAP …: not a rail
    }
    if (first < 0) first = m.index + (m[0].startsWith(" ") || m[0].startsWith("\t") ? 1 : 0);
    railsW[name] = Number(cur) / UNIT_DIV[curUnit]!;
  }
  return { railsW, first };
}

function create(ctx: PowerParseContext): PowerLineParser {
  const wanted = ctx.options.inputRail;
  // `A+B+C`: boards without an input rail whose rails are separate supplies (AGX Xavier, AGX Orin)
  // get their total as the sum of the rails the caller names — never a default.
  const parts = wanted?.includes("+") ? wanted.split("+").map((p) => p.trim()) : null;
  let railsWithoutInput: { line: number; rails: string[] } | null = null;
  let emitted = 0;
  return {
    line(text, line) {
      const { railsW, first } = readRails(text, line, ctx.file);
      const ram = RAM.exec(text);
      const payloadAt = Math.min(
        first < 0 ? Infinity : first,
        ram ? ram.index + (ram[0].startsWith("RAM") ? 0 : 1) : Infinity,
      );
      if (payloadAt === Infinity) {
        ctx.quarantine(line, text, "not a tegrastats reading (no RAM figure and no power rails)");
        return;
      }
      const names = Object.keys(railsW);
      const inputName = wanted ?? KNOWN_INPUT_RAILS.find((r) => r in railsW);
      const present = parts !== null ? parts.every((p) => p in railsW) : inputName !== undefined && inputName in railsW;
      if (inputName === undefined || !present) {
        if (names.length > 0 && railsWithoutInput === null) railsWithoutInput = { line, rails: names };
        ctx.quarantine(
          line,
          text,
          names.length === 0
            ? "reading without power rails (truncated line?)"
            : `no input rail ${wanted ?? KNOWN_INPUT_RAILS.join(" or ")} among ${names.join(", ")}`,
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
      ctx.setRail(inputName);
      const powerW = parts !== null ? parts.reduce((sum, p) => sum + railsW[p]!, 0) : railsW[inputName]!;
      ctx.emit({ tS, powerW, railsW, line });
    },
    end() {
      if (emitted === 0 && railsWithoutInput !== null) {
        throw inputError(`tegrastats rails found but no total input rail (${wanted ?? KNOWN_INPUT_RAILS.join(", ")})`, {
          file: ctx.file,
          line: railsWithoutInput.line,
          text: railsWithoutInput.rails.join(" "),
          hint:
            "this board's input rail has another name: read the log with the inputRail option naming the rail " +
            "that measures the whole module (never a sum of inner rails)",
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
