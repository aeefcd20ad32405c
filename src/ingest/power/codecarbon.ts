import { inputError } from "../../errors.js";
import { isMissingText, strictNumber } from "./numbers.js";
import type { PowerFormatSpec, PowerParseContext } from "./parser.js";
import { tableParser } from "./table.js";
import { parseDateTimeS } from "./time.js";

/**
 * CodeCarbon `emissions.csv`. Each row reports `energy_consumed` (kWh) over `duration` (s) ending
 * at `timestamp`. A row is turned into one *energy segment*: a sample at `timestamp` with
 * `spanS` = duration and `powerW` = energy / duration, which integration treats as constant over
 * the span, so the file's energy is exactly the sum of its rows. `cpu_energy`, `gpu_energy` and
 * `ram_energy` become `railsW.cpu|gpu|ram` (mean W over the same span).
 *
 * CodeCarbon writes cumulative totals: when a later row of the same `run_id` has a longer
 * duration (append mode, periodic flushes), it is the same run continued, and the segment is the
 * difference from the earlier row. Such rows often share a time stamp to the second (CodeCarbon
 * 2.x flushes several times a second): the segment then ends where the run's previous segment
 * ended plus its span (`duration` is exact, the stamp is not), or at its own stamp when that is
 * later (a pause). On ARM boards without sensors the figures come from a TDP
 * constant, not a measurement: treat them as an estimate.
 */

const KWH_TO_J = 3.6e6;

function sniff(head: string) {
  const first = head.split(/\r?\n|\r/).find((l) => l.trim() !== "") ?? "";
  const hasEnergy = /(^|,)energy_consumed(,|$)/.test(first);
  const hasDuration = /(^|,)duration(,|$)/.test(first);
  if (hasEnergy && hasDuration)
    return {
      score: /(^|,)(emissions|codecarbon_version)(,|$)/.test(first) ? 1 : 0.85,
      reason: "CodeCarbon header (duration, energy_consumed)",
    };
  return { score: 0, reason: "no CodeCarbon energy_consumed/duration columns" };
}

function create(ctx: PowerParseContext) {
  let iT = -1,
    iD = -1,
    iE = -1,
    iRun = -1;
  const parts: { name: string; i: number }[] = [];
  const runs = new Map<string, { durationS: number; kwh: number; partsKwh: number[]; endS: number }>();
  return tableParser(ctx, {
    delimiter: ",",
    onHeader(names, line, text) {
      iT = names.indexOf("timestamp");
      iD = names.indexOf("duration");
      iE = names.indexOf("energy_consumed");
      iRun = names.indexOf("run_id");
      const missing = [
        ["timestamp", iT],
        ["duration", iD],
        ["energy_consumed", iE],
      ]
        .filter(([, i]) => i === -1)
        .map(([n]) => n);
      if (missing.length > 0) {
        throw inputError(`CodeCarbon header lacks ${missing.join(", ")}`, {
          file: ctx.file,
          line,
          text,
          hint: "give the emissions.csv that CodeCarbon wrote (its header names every column)",
        });
      }
      ctx.setRail("energy_consumed");
      for (const name of ["cpu", "gpu", "ram"]) {
        const i = names.indexOf(`${name}_energy`);
        if (i >= 0) parts.push({ name, i });
      }
    },
    onRow(f, line, text) {
      const stamp = f[iT]!.trim();
      const end = parseDateTimeS(stamp);
      const durationS = strictNumber(f[iD]!);
      const kwh = strictNumber(f[iE]!);
      if (end === null) return ctx.quarantine(line, text, `unreadable timestamp "${stamp}"`, { reading: true });
      if (!Number.isFinite(durationS) || durationS <= 0)
        return ctx.quarantine(line, text, `duration "${f[iD]!.trim()}" is not a positive number of seconds`, {
          reading: true,
        });
      if (!Number.isFinite(kwh))
        return ctx.quarantine(
          line,
          text,
          isMissingText(f[iE]!) ? "energy_consumed is N/A" : `energy_consumed "${f[iE]!.trim()}" is not a number`,
          { reading: true },
        );
      const partsKwh = parts.map((p) => strictNumber(f[p.i]!));
      const run = iRun >= 0 ? f[iRun]!.trim() : "";
      const before = run !== "" ? runs.get(run) : undefined;
      let spanS = durationS;
      let segKwh = kwh;
      let segParts = partsKwh;
      let endS = end;
      if (before !== undefined && durationS > before.durationS && kwh >= before.kwh) {
        spanS = durationS - before.durationS;
        segKwh = kwh - before.kwh;
        segParts = partsKwh.map((v, k) => v - (before.partsKwh[k] ?? 0));
        endS = Math.max(end, before.endS + spanS);
      }
      if (run !== "") runs.set(run, { durationS, kwh, partsKwh, endS });
      const railsW: Record<string, number> = {};
      parts.forEach((p, k) => {
        const v = segParts[k]!;
        if (Number.isFinite(v)) railsW[p.name] = (v * KWH_TO_J) / spanS;
      });
      ctx.emit({ tS: endS, powerW: (segKwh * KWH_TO_J) / spanS, spanS, railsW, line });
    },
  });
}

export const codecarbon: PowerFormatSpec = { format: "codecarbon", title: "CodeCarbon emissions.csv", sniff, create };
