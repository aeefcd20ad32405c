import { guessDelimiter, splitFields } from "./fields.js";
import type { PowerLineParser, PowerParseContext } from "./parser.js";

/**
 * Shared skeleton of the tabular power formats: lines starting with `#` before the header are
 * comments (handed to `onComment`), the first other line is the header, every later line a row
 * with as many fields as the header. Rows with another field count are quarantined as readings
 * (a truncated last line is the usual cause); a repeated header line (a logger restarted and
 * appended) is skipped after checking it matches.
 */
export interface TableHandlers {
  /** Called once with the header's names (trimmed); throws `inputError` when columns are missing. */
  onHeader(names: string[], line: number, text: string): void;
  onRow(fields: string[], line: number, text: string): void;
  onComment?(text: string, line: number): void;
  /** Fixed delimiter; default: guessed from the header (comma, semicolon or tab). */
  delimiter?: string;
  /** End of file (after the last line). */
  end?(lastLine: number): void;
}

export function tableParser(ctx: PowerParseContext, h: TableHandlers): PowerLineParser {
  let delim: string | null = h.delimiter ?? null;
  let header: string[] | null = null;
  let headerText = "";
  return {
    line(text, line) {
      if (header === null) {
        if (text.trimStart().startsWith("#")) {
          h.onComment?.(text, line);
          return;
        }
        delim ??= guessDelimiter(text);
        header = splitFields(text, delim).map((s) => s.trim());
        headerText = text.trim();
        h.onHeader(header, line, text);
        return;
      }
      if (text.trimStart().startsWith("#")) {
        h.onComment?.(text, line);
        return;
      }
      if (text.trim() === headerText) return; // repeated header of an appended log
      const fields = splitFields(text, delim!);
      if (fields.length !== header.length) {
        ctx.quarantine(
          line,
          text,
          `expected ${header.length} fields as in the header, found ${fields.length} (truncated or garbled line?)`,
          { reading: true },
        );
        return;
      }
      h.onRow(fields, line, text);
    },
    end(lastLine) {
      h.end?.(lastLine);
    },
  };
}

/** Index of the first header name matching `test`, or -1. */
export function findColumn(names: readonly string[], test: (name: string) => boolean): number {
  return names.findIndex((n) => test(n));
}
