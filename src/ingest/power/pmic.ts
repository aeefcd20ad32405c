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
 * - Lines of dashes or `=` between blocks are separators. A block missing labels that the first
 *   complete blocks have (a truncated block, a logger killed mid-read) is quarantined whole.
 */

const LINE = /([A-Za-z0-9_]+)_([AV]) (?:current|volt)\(\d+\)=(\S*?)([AV]?)\s*$/;
const SEPARATOR = /^[-=#*_~\s]+$/;

function sniff(head: string) {
  const lines = head
    .split(/\r?\n|\r/)
    .filter((l) => l.trim() !== "")
    .slice(0, 60);
  const hits = lines.filter((l) => LINE.test(l)).length;
  if (hits === 0) return { score: 0, reason: "no `_A current(n)=` / `_V volt(n)=` lines" };
  return { score: Math.min(1, 0.6 + hits / 20), reason: `${hits} pmic_read_adc lines` };
}

interface Block {
  tS: number | null;
  startLine: number;
  endLine: number;
  values: Map<string, number>;
  text: string[];
}

function create(ctx: PowerParseContext): PowerLineParser {
  let block: Block | null = null;
  let expected: Set<string> | null = null;
  const pending: Block[] = [];

  const newBlock = (tS: number | null, line: number): Block => ({
    tS,
    startLine: line,
    endLine: line,
    values: new Map(),
    text: [],
  });

  function validateAndEmit(b: Block): void {
    const text = b.text.join("\n");
    const missing = [...expected!].filter((k) => !b.values.has(k));
    if (missing.length > 0) {
      ctx.quarantine(
        b.startLine,
        text,
        `truncated PMIC block: ${missing.length} reading(s) missing ` +
          `(${missing.slice(0, 4).join(", ")}${missing.length > 4 ? ", …" : ""})`,
        {
          reading: true,
          lineEnd: b.endLine,
        },
      );
      return;
    }
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
    ctx.setRail("PMIC rails, Σ V×I");
    ctx.emit({ tS: b.tS, powerW, railsW, line: b.startLine, lineEnd: b.endLine });
  }

  function close(): void {
    const b = block;
    block = null;
    if (b === null) return;
    if (b.values.size === 0) {
      ctx.quarantine(b.startLine, b.text.join("\n"), "time stamp without a PMIC reading after it", {
        reading: true,
        lineEnd: b.endLine,
      });
      return;
    }
    if (expected === null) {
      pending.push(b);
      if (pending.length === 2) flushPending();
      return;
    }
    validateAndEmit(b);
  }

  function flushPending(): void {
    // The label set of a complete block: the union of the first two (either may be truncated).
    expected = new Set(pending.flatMap((p) => [...p.values.keys()]));
    for (const p of pending.splice(0)) validateAndEmit(p);
  }

  return {
    line(text, line) {
      const m = LINE.exec(text);
      if (m === null) {
        const stamp = parseStampLineS(text);
        if (stamp !== null) {
          close();
          block = newBlock(stamp, line);
          block.text.push(text);
          return;
        }
        if (SEPARATOR.test(text)) return;
        ctx.quarantine(line, text, "not a pmic_read_adc line nor a time stamp");
        return;
      }
      const prefix = text.slice(0, m.index).trim();
      let stampHere: number | null = null;
      if (prefix !== "") {
        stampHere = parseStampLineS(prefix);
        if (stampHere === null) {
          ctx.quarantine(line, text, `unreadable text "${prefix}" before the reading`);
          return;
        }
      }
      const key = `${m[1]}_${m[2]}`;
      const unit = m[4];
      const value = strictNumber(m[3]!);
      if (stampHere !== null || block === null || block.values.has(key)) {
        if (!(block !== null && block.values.size === 0 && stampHere === null)) {
          close();
          block = newBlock(stampHere, line);
        }
      }
      const b = block!;
      b.endLine = line;
      b.text.push(text);
      if (!Number.isFinite(value) || (unit !== "" && unit !== m[2])) {
        ctx.quarantine(line, text, `unreadable ${m[2] === "A" ? "current" : "voltage"} "${m[3]}${unit}"`);
        return;
      }
      b.values.set(key, value);
    },
    end() {
      close();
      if (pending.length > 0) flushPending();
    },
  };
}

export const pmic: PowerFormatSpec = {
  format: "pmic",
  title: "Raspberry Pi 5 vcgencmd pmic_read_adc blocks",
  sniff,
  create,
};
