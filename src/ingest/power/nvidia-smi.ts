import { inputError } from "../../errors.js";
import { isMissingText, strictNumber } from "./numbers.js";
import type { PowerFormatSpec, PowerParseContext } from "./parser.js";
import { tableParser } from "./table.js";
import { parseDateTimeS } from "./time.js";

/**
 * `nvidia-smi --query-gpu=index,timestamp,power.draw,… --format=csv[,nounits] -lms N`:
 * `0, 2019/08/23 14:54:47.307, 208.36 W, 1545 MHz, …`. Power is `power.draw [W]` (newer drivers
 * also print `power.draw.instant` / `power.draw.average`; `power.draw` is preferred, then
 * instant, then average). Values may carry a ` W` suffix; `[N/A]` and `[Not Supported]` rows are
 * quarantined (on Jetson every field is unsupported). With several GPUs (`index` column), each
 * GPU is a channel and one poll — the consecutive rows of distinct GPUs, whose time stamps
 * nvidia-smi prints a few ms apart or equal — is one reading at its first row's time: power is
 * the channels' sum, `railsW` has `gpu<index>`. A poll lacking a GPU seen before is quarantined
 * (its sum would miss that GPU), never read as a drop in power.
 */

const POWER_COLUMNS = ["power.draw", "power.draw.instant", "power.draw.average"];

function sniff(head: string) {
  const first = head.split(/\r?\n|\r/).find((l) => l.trim() !== "") ?? "";
  return /(^|,)\s*power\.draw(\.\w+)?( \[m?W\])?\s*(,|$)/.test(first)
    ? { score: 0.95, reason: "header has a power.draw column (nvidia-smi --query-gpu)" }
    : { score: 0, reason: "no power.draw column" };
}

interface Poll {
  stamp: string;
  tS: number | null;
  line: number;
  lineEnd: number;
  railsW: Record<string, number>;
  /** GPUs whose row is in this poll (read or not). */
  seen: Set<string>;
  powerW: number;
  bad: string | null;
  text: string[];
}

/** Mark a poll bad when it lacks a GPU seen before (and remember the GPUs it has). */
function checkComplete(p: Poll, gpus: Set<string>): void {
  for (const g of p.seen) gpus.add(g);
  const missing = [...gpus].filter((g) => !p.seen.has(g));
  if (p.bad === null && missing.length > 0)
    p.bad = `poll without ${missing.join(", ")} (its row is missing): the GPUs' sum would be short`;
}

function emitPoll(ctx: PowerParseContext, p: Poll): void {
  if (p.bad !== null) ctx.quarantine(p.line, p.text.join("\n"), p.bad, { reading: true, lineEnd: p.lineEnd });
  else {
    const span = p.lineEnd !== p.line ? { lineEnd: p.lineEnd } : {};
    ctx.emit({ tS: p.tS, powerW: p.powerW, railsW: p.railsW, line: p.line, ...span });
  }
}

function create(ctx: PowerParseContext) {
  let iP = -1,
    iT = -1,
    iIdx = -1;
  let scale = 1;
  let poll: Poll | null = null;
  const gpus = new Set<string>();
  const flush = () => {
    const p = poll;
    poll = null;
    if (p === null) return;
    checkComplete(p, gpus);
    emitPoll(ctx, p);
  };
  return tableParser(ctx, {
    delimiter: ",",
    onHeader(names, line, text) {
      const base = names.map((n) => n.replace(/\s*\[.*\]\s*$/, ""));
      const pick = POWER_COLUMNS.map((c) => base.indexOf(c)).find((i) => i >= 0);
      if (pick === undefined) {
        throw inputError("no power.draw column in the nvidia-smi header", {
          file: ctx.file,
          line,
          text,
          hint: "query it: nvidia-smi --query-gpu=index,timestamp,power.draw --format=csv -lms 100",
        });
      }
      iP = pick;
      ctx.setRail(names[iP]!);
      const unit = /\[(\w+)\]/.exec(names[iP]!)?.[1] ?? "W";
      if (unit !== "W" && unit !== "mW") {
        throw inputError(`unknown power unit "${unit}"`, {
          file: ctx.file,
          line,
          field: names[iP]!,
          text,
          hint: "nvidia-smi reports power.draw in W",
        });
      }
      scale = unit === "mW" ? 1e-3 : 1;
      iT = base.indexOf("timestamp");
      iIdx = base.indexOf("index");
    },
    onRow(f, line, text) {
      const stamp = iT >= 0 ? f[iT]!.trim() : "";
      const gpu = iIdx >= 0 ? f[iIdx]!.trim() : "0";
      // A GPU seen again starts the next poll (rows of one poll may differ in their stamps by a few ms).
      if (poll !== null && (poll.seen.has(`gpu${gpu}`) || (iIdx < 0 && stamp !== poll.stamp))) flush();
      if (poll === null) {
        let tS: number | null = null;
        let bad: string | null = null;
        if (iT >= 0) {
          tS = parseDateTimeS(stamp);
          if (tS === null) bad = `unreadable timestamp "${stamp}"`;
        }
        poll = { stamp, tS, line, lineEnd: line, railsW: {}, seen: new Set(), powerW: 0, bad, text: [] };
      }
      poll.seen.add(`gpu${gpu}`);
      poll.lineEnd = line;
      poll.text.push(text);
      const raw = f[iP]!.trim().replace(/\s*m?W$/, "");
      const w = strictNumber(raw) * scale;
      if (!Number.isFinite(w)) {
        poll.bad ??= isMissingText(raw)
          ? `power.draw is ${raw} (not supported or not available)`
          : `power.draw "${f[iP]!.trim()}" is not a number`;
        return;
      }
      poll.railsW[`gpu${gpu}`] = w;
      poll.powerW += w;
    },
    end: flush,
  });
}

export const nvidiaSmi: PowerFormatSpec = { format: "nvidia-smi", title: "nvidia-smi --query-gpu CSV", sniff, create };
