import { inputError } from "../../errors.js";
import { isMissingText, strictNumber } from "./numbers.js";
import type { PowerFormatSpec, PowerParseContext } from "./parser.js";
import { tableParser } from "./table.js";
import { parseDateTimeS, parseStampLineS } from "./time.js";

/**
 * jtop (jetson-stats) CSV, as its logger example writes it: one row per reading, keys generated
 * per board — `time` (Python datetime text), `uptime`, `CPU1`…, `RAM`, `GPU`, `Temp <zone>`,
 * `Power <rail>` (mW) and `Power TOT` (mW), `jetson_clocks`, `nvp model`. Total power is
 * `Power TOT` (jtop's input-rail total), else `Power <inputRail>` / `Power VDD_IN` /
 * `Power POM_5V_IN`, or jtop 3's `power cur`; the other `Power <rail>` columns go to `railsW`
 * (`power avg`, a running average since jtop started, is ignored like tegrastats' second number).
 *
 * Loggers built on jtop's Python API write their own names: `Timestamp, …, CPU_Power_Inst,
 * GPU_Power_Inst, System_Power_Inst, …` (mW, `, ` separators, empty cells), where
 * `System_Power_Inst` is jtop's total (`power["tot"]`) and the other `*_Power_Inst` are rails.
 */

// jtop 4 writes `Power TOT`; jtop 3 wrote the total as `power cur` (and a running `power avg`).
const TOTAL_CANDIDATES = ["Power TOT", "Power VDD_IN", "Power POM_5V_IN", "power cur", "System_Power_Inst"];
const TIME_COLUMNS = ["time", "Timestamp", "timestamp"];

function sniff(head: string) {
  const first = head.split(/\r?\n|\r/).find((l) => l.trim() !== "") ?? "";
  if (/(^|,)\s*System_Power_Inst\s*(,|$)/.test(first)) {
    return /(^|,)\s*Timestamp\s*(,|$)/.test(first)
      ? { score: 0.85, reason: "header has `Timestamp` and `System_Power_Inst` (a jtop-based logger)" }
      : { score: 0.7, reason: "header has a `System_Power_Inst` column (a jtop-based logger)" };
  }
  if (
    !/(^|,)\s*"?(Power TOT|power cur)"?\s*(,|$)/.test(first) &&
    !/(^|,)\s*"?Power (VDD_IN|POM_5V_IN)"?\s*(,|$)/.test(first)
  ) {
    return { score: 0, reason: "no `Power TOT` column" };
  }
  return /(^|,)\s*time\s*(,|$)/.test(first)
    ? { score: 0.95, reason: "header has `time` and `Power TOT` columns (jtop logger)" }
    : { score: 0.7, reason: "header has a `Power TOT` column" };
}

function create(ctx: PowerParseContext) {
  let iTime = -1;
  let iTotal = -1;
  let rails: { name: string; i: number }[] = [];
  return tableParser(ctx, {
    delimiter: ",",
    onHeader(names, line, text) {
      const wanted = ctx.options.inputRail ? [`Power ${ctx.options.inputRail}`] : TOTAL_CANDIDATES;
      const total = wanted.find((c) => names.includes(c));
      if (total === undefined) {
        throw inputError(`no total power column (${wanted.join(" or ")}) in the jtop header`, {
          file: ctx.file,
          line,
          text,
          hint:
            "log with jtop's logger so that `Power TOT` is written, " +
            "or pass inputRail naming the input rail's column",
        });
      }
      iTotal = names.indexOf(total);
      ctx.setRail(total);
      iTime = names.findIndex((n) => TIME_COLUMNS.includes(n));
      rails = names
        .map((name, i) => ({ name, i }))
        .filter((c) => c.i !== iTotal && c.name !== "Power TOT")
        .filter((c) => c.name.startsWith("Power ") || c.name.endsWith("_Power_Inst"))
        .map((c) => ({ name: c.name.replace(/^Power /, "").replace(/_Power_Inst$/, ""), i: c.i }));
    },
    onRow(fields, line, text) {
      const totalText = fields[iTotal]!;
      const totalMw = strictNumber(totalText);
      if (!Number.isFinite(totalMw)) {
        ctx.quarantine(
          line,
          text,
          isMissingText(totalText) ? "total power is N/A" : `total power "${totalText.trim()}" is not a number`,
          { reading: true },
        );
        return;
      }
      let tS: number | null = null;
      if (iTime >= 0) {
        const tt = fields[iTime]!.trim();
        tS = parseDateTimeS(tt) ?? parseStampLineS(tt);
        if (tS === null) {
          ctx.quarantine(line, text, `unreadable time "${tt}"`, { reading: true });
          return;
        }
      }
      const railsW: Record<string, number> = {};
      for (const r of rails) {
        const v = strictNumber(fields[r.i]!);
        if (Number.isFinite(v)) railsW[r.name] = v / 1000;
      }
      ctx.emit({ tS, powerW: totalMw / 1000, railsW, line });
    },
  });
}

export const jtopCsv: PowerFormatSpec = { format: "jtop-csv", title: "jtop (jetson-stats) CSV log", sniff, create };
