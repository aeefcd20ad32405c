import { SlmError } from "../../errors.js";
import { tokenize } from "../../io/csv.js";

/**
 * One line of a line-streamed CSV log (llama-bench `-o csv`; its tools never put line breaks
 * inside fields), split by the project's one CSV reader (csv-parse, through io/csv.ts): RFC 4180
 * quoting with doubled quotes. Fields are not trimmed. A line csv-parse refuses (a quote left
 * open, which is what a truncated line looks like, or a stray quote) gives null and the reason.
 */
export function splitCsvLine(line: string): { fields: string[] } | { fields: null; reason: string } {
  try {
    const rows = tokenize(line, "<line>");
    return { fields: rows[0]?.fields ?? [""] };
  } catch (e) {
    if (!(e instanceof SlmError)) throw e;
    const reason =
      e.message === "unterminated quoted field" ? "unterminated quoted CSV field (truncated line?)" : e.message;
    return { fields: null, reason };
  }
}
