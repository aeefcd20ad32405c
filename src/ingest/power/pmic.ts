import { noPmicAdcError } from "./vcgencmd.js";
import { inputError } from "../../errors.js";
import { electricalOutOfBounds, PHYSICAL_BOUNDS } from "./bounds.js";
import { strictNumber } from "./numbers.js";
import type { PowerFormatSpec, PowerLineParser, PowerParseContext } from "./parser.js";
import { parseStampLineS } from "./time.js";

/**
 * Raspberry Pi 5 `vcgencmd pmic_read_adc`, one block of lines per reading:
 * `  VDD_CORE_A current(7)=1.54489000A` … `  VDD_CORE_V volt(15)=0.88725180V` … `EXT5V_V volt(24)=…`.
 *
 * - Power of a block = Σ V×I over the rails that have both an `_A` and a `_V` line; `EXT5V` and
 *   `BATT` are voltage only and add nothing. `railsW` holds V×I per rail. (The PMIC does not see
 *   conversion losses, so it reads low against a wall meter: give a calibration to correct it.)
 * - A logger wraps each block with a time stamp of its own: a line holding an epoch or a date-time
 *   (`1695310697.123`, `2025-09-21T15:38:17Z`, `# 2025-09-21 15:38:17`, `[…]`, `time: …`) before
 *   the block, or the stamp in front of the block's first line. Without stamps a block ends where
 *   a label repeats, and the reader spaces blocks by `--interval`.
 * - A current or voltage outside the physical range (bounds.ts: negative, `1e308`) is quarantined
 *   like an unreadable one, and its block with it (the block then lacks that reading).
 * - Lines of dashes or `=` between blocks are separators. A block missing labels that most of the
 *   first five blocks have (a truncated block, a logger killed mid-read, a misspelt label) is
 *   quarantined whole, alone.
 * - Currents or voltages in mA / mV (a `…mA` suffix, or most currents of the first blocks between
 *   100 and 100 000 without a unit) are refused with the fix: read as A they are impossible, and
 *   quarantining them would leave nothing but a calibration offset.
 */

/** `_A current(n)=` or `_V volt(n)=` (either word with either letter): a `_` starts it, so each try is O(1). */
const MARK = /_([AV]) (?:current|volt)\(\d+\)=/g;
const WORD_BYTE = /[A-Za-z0-9_]/;

/** A reading line's parts: `prefix` (text before the label), `label` (`VDD_CORE`), `AV`, value text and unit. */
export interface PmicReading {
  prefix: string;
  key: string;
  letter: "A" | "V";
  value: string;
  unit: string;
}

/**
 * Read `[prefix ]LABEL_A current(n)=VALUE[A]` in time linear in the line's length (a regex with
 * an unanchored `[A-Za-z0-9_]+` and a lazy value took the square of it: seconds on a 100 kB line).
 * Only the last mark can be the reading (the value runs to the end of the line without spaces).
 */
export function matchPmicReading(text: string): PmicReading | null {
  MARK.lastIndex = 0;
  let last: RegExpExecArray | null = null;
  for (let m = MARK.exec(text); m !== null; m = MARK.exec(text)) last = m;
  if (last === null) return null;
  let start = last.index;
  while (start > 0 && WORD_BYTE.test(text[start - 1]!)) start--;
  if (start === last.index) return null; // no label before `_A`
  const rest = text.slice(last.index + last[0].length).trimEnd();
  if (/\s/.test(rest)) return null;
  const letter = last[1] as "A" | "V";
  const tail = rest.at(-1);
  const unit = tail === "A" || tail === "V" ? tail : "";
  return {
    prefix: text.slice(0, start),
    key: `${text.slice(start, last.index)}_${letter}`,
    letter,
    value: unit === "" ? rest : rest.slice(0, -1),
    unit,
  };
}
const SEPARATOR = /^[-=#*_~\s]+$/;
/** What vcgencmd prints for `pmic_read_adc` on a board without the Pi 5's PMIC ADC. */
const NOT_REGISTERED = /^\s*(?:error=\d+\s+error_msg=")?Command not registered"?\s*$/i;

/** Blocks whose labels set the label set of a complete block (see flushPending). */
const EXPECTED_FROM_BLOCKS = 5;
const { maxCurrentA: MAX_A } = PHYSICAL_BOUNDS.pmic;
const MILLIAMP_HINT =
  "vcgencmd pmic_read_adc prints amperes and volts (`VDD_CORE_A current(7)=1.54489000A`): divide the log's mA " +
  "(mV) figures by 1000 before reading it; read as they are, they would be quarantined and leave energies " +
  "of the calibration offset alone";

function sniff(head: string) {
  const lines = head
    .split(/\r?\n|\r/)
    .filter((l) => l.trim() !== "")
    .slice(0, 60);
  const hits = lines.filter((l) => matchPmicReading(l) !== null).length;
  if (hits === 0 && lines.some((l) => NOT_REGISTERED.test(l)))
    return { score: 0.9, reason: "vcgencmd's `Command not registered` (a pmic_read_adc log of a board without one)" };
  if (hits === 0) return { score: 0, reason: "no `_A current(n)=` / `_V volt(n)=` lines" };
  return { score: Math.min(1, 0.6 + hits / 20), reason: `${hits} pmic_read_adc lines` };
}

const clipValue = (v: string) => (v.length <= 40 ? v : `${v.slice(0, 39)}…`);

interface Block {
  tS: number | null;
  startLine: number;
  endLine: number;
  values: Map<string, number>;
  text: string[];
}

const newBlock = (tS: number | null, line: number): Block => ({
  tS,
  startLine: line,
  endLine: line,
  values: new Map(),
  text: [],
});

/** A complete block's power: Σ V×I over the rails that have both a current and a voltage. */
function blockPower(b: Block): { powerW: number; railsW: Record<string, number> } {
  const railsW: Record<string, number> = {};
  let powerW = 0;
  for (const [key, amps] of b.values) {
    if (!key.endsWith("_A")) continue;
    const rail = key.slice(0, -2);
    const volts = b.values.get(`${rail}_V`);
    if (volts === undefined) continue;
    railsW[rail] = volts * amps;
    powerW += volts * amps;
  }
  return { powerW, railsW };
}

/** Blocks of readings, each opened by a time stamp (or by a label seen again), checked against the first two. */
class PmicParser implements PowerLineParser {
  private block: Block | null = null;
  private expected: Set<string> | null = null;
  private readonly pending: Block[] = [];
  /** Currents read in the first blocks, and those out of range that would be in range as mA. */
  private currents = 0;
  private milliampLike = 0;
  private milliampAt: { line: number; text: string } | null = null;

  constructor(private readonly ctx: PowerParseContext) {}

  private validateAndEmit(b: Block): void {
    // A reading quarantined on its line (unreadable, out of range) holds NaN: missing too.
    const missing = [...this.expected!].filter((k) => !(b.values.get(k)! >= 0));
    if (missing.length > 0) {
      const list = (k: string[]) => `${k.slice(0, 4).join(", ")}${k.length > 4 ? ", …" : ""}`;
      const odd = [...b.values.keys()].filter((k) => !this.expected!.has(k));
      const reason =
        odd.length > 0
          ? `PMIC block with label(s) the other blocks lack (${list(odd)}; misspelt?): ` +
            `${missing.length} reading(s) missing (${list(missing)})`
          : `truncated PMIC block: ${missing.length} reading(s) missing (${list(missing)})`;
      this.ctx.quarantine(b.startLine, b.text.join("\n"), reason, { reading: true, lineEnd: b.endLine });
      return;
    }
    const { powerW, railsW } = blockPower(b);
    this.ctx.setRail("PMIC rails, Σ V×I");
    this.ctx.emit({ tS: b.tS, powerW, railsW, line: b.startLine, lineEnd: b.endLine });
  }

  private close(): void {
    const b = this.block;
    this.block = null;
    if (b === null) return;
    if (b.values.size === 0) {
      this.ctx.quarantine(b.startLine, b.text.join("\n"), "time stamp without a PMIC reading after it", {
        reading: true,
        lineEnd: b.endLine,
      });
      return;
    }
    if (this.expected === null) {
      this.pending.push(b);
      if (this.pending.length === EXPECTED_FROM_BLOCKS) this.flushPending();
      return;
    }
    this.validateAndEmit(b);
  }

  private flushPending(): void {
    this.checkMilliamps();
    // The label set of a complete block: the labels of at least half of the first blocks (so one
    // truncated block, or one misspelt label, is rejected alone; with two blocks, their union).
    const counts = new Map<string, number>();
    for (const p of this.pending) for (const k of p.values.keys()) counts.set(k, (counts.get(k) ?? 0) + 1);
    const need = Math.ceil(this.pending.length / 2);
    this.expected = new Set([...counts].filter(([, n]) => n >= need).map(([k]) => k));
    for (const p of this.pending.splice(0)) this.validateAndEmit(p);
  }

  /** Currents of the first blocks out of range but plausible as mA: the log is in mA, refused with the fix. */
  private checkMilliamps(): void {
    if (this.currents === 0 || this.milliampLike <= this.currents / 2) return;
    const first = this.milliampAt!;
    throw inputError(
      `PMIC currents look like mA, not A: ${this.milliampLike} of the first ${this.currents} are between 100 and ` +
        "100 000 (e.g. " +
        `"${first.text.trim()}")`,
      { file: this.ctx.file, line: first.line, text: first.text, field: "current", hint: MILLIAMP_HINT },
    );
  }

  /** A line that is not a reading: a time stamp opens a block, a separator is skipped, anything else is quarantined. */
  private other(text: string, line: number): void {
    const stamp = parseStampLineS(text);
    if (stamp !== null) {
      this.close();
      this.block = newBlock(stamp, line);
      this.block.text.push(text);
      return;
    }
    if (SEPARATOR.test(text)) return;
    if (NOT_REGISTERED.test(text)) {
      throw noPmicAdcError(this.ctx.file, { line, text });
    }
    this.ctx.quarantine(line, text, "not a pmic_read_adc line nor a time stamp");
  }

  line(text: string, line: number): void {
    const m = matchPmicReading(text);
    if (m === null) return this.other(text, line);
    const prefix = m.prefix.trim();
    let stampHere: number | null = null;
    if (prefix !== "") {
      stampHere = parseStampLineS(prefix);
      if (stampHere === null) {
        this.ctx.quarantine(line, text, `unreadable text "${prefix}" before the reading`);
        return;
      }
    }
    const { key, unit, letter } = m;
    const value = strictNumber(m.value);
    const open = this.block;
    if (stampHere !== null || open === null || open.values.has(key)) {
      if (!(open !== null && open.values.size === 0 && stampHere === null)) {
        this.close();
        this.block = newBlock(stampHere, line);
      }
    }
    const b = this.block!;
    b.endLine = line;
    b.text.push(text);
    const quantity = letter === "A" ? "current" : "voltage";
    if (unit === letter && m.value.endsWith("m")) {
      throw inputError(`PMIC ${quantity} in m${letter} ("${m.value}${unit}"): pmic_read_adc prints ${letter}`, {
        file: this.ctx.file,
        line,
        text,
        field: quantity,
        hint: MILLIAMP_HINT,
      });
    }
    if (letter === "A" && this.expected === null) {
      this.currents++;
      if (Number.isFinite(value) && value > MAX_A && value <= MAX_A * 1000) {
        this.milliampLike++;
        this.milliampAt ??= { line, text };
      }
    }
    const bad =
      !Number.isFinite(value) || (unit !== "" && unit !== letter)
        ? `unreadable ${quantity} "${clipValue(m.value)}${unit}"`
        : electricalOutOfBounds("pmic", quantity, value);
    if (bad !== null) {
      this.ctx.quarantine(line, text, bad);
      b.values.set(key, NaN); // seen (a repeat of the label still opens the next block), but no value
      return;
    }
    b.values.set(key, value);
  }

  end(): void {
    this.close();
    if (this.pending.length > 0) this.flushPending();
  }
}

function create(ctx: PowerParseContext): PowerLineParser {
  return new PmicParser(ctx);
}

export const pmic: PowerFormatSpec = {
  format: "pmic",
  title: "Raspberry Pi 5 vcgencmd pmic_read_adc blocks",
  sniff,
  create,
};
