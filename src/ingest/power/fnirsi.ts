import { inputError } from "../../errors.js";
import { electricalOutOfBounds } from "./bounds.js";
import { isMissingText, strictNumber } from "./numbers.js";
import type { PowerFormatSpec, PowerLineParser, PowerParseContext } from "./parser.js";

/**
 * FNIRSI FNB48 / FNB58 / C1 USB meters through the open data logger (`fnirsi_logger.py`):
 * white-space separated, a header line, ~100 samples/s:
 * `timestamp sample_in_packet voltage_V current_A dp_V dn_V temp_C_ema energy_Ws capacity_As`.
 * Power = `voltage_V` × `current_A`; time = `timestamp` (epoch seconds). Columns are found by
 * name; extra columns are ignored.
 *
 * The meter samples at 100 Hz and sends 4 samples a packet; the logger stamps them from the
 * host's clock on arrival, so a packet's first stamps may fall a few tens of ms before the last
 * stamp of the packet before it. Such a sample is real: when it goes back by at most
 * `FNIRSI_OVERLAP_S`, it is placed one sample interval after the previous one (the meter's own
 * clock), and later stamps take over again once they are ahead. A sample further back, a line
 * repeated whole, or stamps that stay behind for more than two packets (a clock stepped back) are
 * left to the reader's time-order rule (quarantined).
 */

/** The meter's sample interval (100 samples/s). */
export const FNIRSI_SAMPLE_S = 0.01;
/** How far back a sample's host stamp may fall and still be merged (a packet of 4, plus jitter). */
export const FNIRSI_OVERLAP_S = 0.05;
/**
 * Samples in a row that may be moved: jitter lets the stamps catch up within a packet or two; a
 * clock that stepped back does not, and is then left to the time-order rule.
 */
export const FNIRSI_MAX_RETIMED = 8;

const HEADER = /\btimestamp\b.*\bvoltage_V\b.*\bcurrent_A\b|\bvoltage_V\b.*\bcurrent_A\b.*\btimestamp\b/;

function sniff(head: string) {
  const first = head.split(/\r?\n|\r/).find((l) => l.trim() !== "") ?? "";
  if (HEADER.test(first) && /sample_in_packet/.test(first)) return { score: 1, reason: "FNIRSI logger header" };
  if (HEADER.test(first) && !first.includes(","))
    return { score: 0.8, reason: "space-separated timestamp/voltage_V/current_A header" };
  return { score: 0, reason: "no FNIRSI logger header" };
}

function create(ctx: PowerParseContext): PowerLineParser {
  let names: string[] | null = null;
  let split: (s: string) => string[] = (s) => s.trim().split(/\s+/);
  let iT = -1,
    iV = -1,
    iA = -1;
  let lastT = -Infinity;
  /** The last lines read (a line seen again is a repeat, never an overlap). */
  const recent: string[] = [];
  let retimed = 0;
  /** A stamp that overlaps the previous packet, moved to the meter's clock; others unchanged. */
  const merged = (tS: number, text: string): number => {
    const back = lastT - tS;
    const overlap = back >= 0 && back <= FNIRSI_OVERLAP_S && retimed < FNIRSI_MAX_RETIMED && !recent.includes(text);
    const t = overlap ? lastT + FNIRSI_SAMPLE_S : tS;
    retimed = overlap ? retimed + 1 : 0;
    if (t > lastT) lastT = t;
    recent.push(text);
    if (recent.length > 16) recent.shift();
    return t;
  };
  return {
    line(text, line) {
      if (names === null) {
        if (text.includes(",")) split = (s) => s.split(",").map((x) => x.trim());
        names = split(text);
        iT = names.indexOf("timestamp");
        iV = names.indexOf("voltage_V");
        iA = names.indexOf("current_A");
        ctx.setRail("voltage_V × current_A");
        if (iV < 0 || iA < 0) {
          throw inputError("FNIRSI header lacks `voltage_V` or `current_A`", {
            file: ctx.file,
            line,
            text,
            hint: "the first line must be the logger's header (timestamp sample_in_packet voltage_V current_A …)",
          });
        }
        return;
      }
      const f = split(text);
      if (f.length !== names.length) {
        ctx.quarantine(
          line,
          text,
          `expected ${names.length} fields as in the header, found ${f.length} (truncated or garbled line?)`,
          { reading: true },
        );
        return;
      }
      const v = strictNumber(f[iV]!);
      const a = strictNumber(f[iA]!);
      if (!Number.isFinite(v) || !Number.isFinite(a)) {
        const bad = !Number.isFinite(v) ? f[iV]! : f[iA]!;
        ctx.quarantine(
          line,
          text,
          isMissingText(bad) ? "voltage or current is N/A" : `voltage or current "${bad}" is not a number`,
          { reading: true },
        );
        return;
      }
      const outside = electricalOutOfBounds("fnirsi", "voltage", v) ?? electricalOutOfBounds("fnirsi", "current", a);
      if (outside !== null) {
        ctx.quarantine(line, text, outside, { reading: true });
        return;
      }
      let tS: number | null = null;
      if (iT >= 0) {
        tS = strictNumber(f[iT]!);
        if (!Number.isFinite(tS)) {
          ctx.quarantine(line, text, `unreadable timestamp "${f[iT]}"`, { reading: true });
          return;
        }
        tS = merged(tS, text);
      }
      ctx.emit({ tS, powerW: v * a, line });
    },
    end() {},
  };
}

export const fnirsi: PowerFormatSpec = { format: "fnirsi", title: "FNIRSI USB meter data-logger text", sniff, create };
