/**
 * Splitting one delimited line into fields and reading header names, for the CSV-like power
 * formats (jtop, USB meters, nvidia-smi, RAPL, CodeCarbon). Quoted fields with doubled quotes are
 * honoured; a quoted field cannot span lines in these logs (a line that tries is quarantined by
 * its parser because its field count is wrong).
 */

/** Split on `delim`, honouring double quotes. Fields are not trimmed. */
export function splitFields(line: string, delim: string): string[] {
  if (line.indexOf('"') < 0) return line.split(delim);
  const out: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < line.length) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (line.startsWith(delim, i)) {
      out.push(field);
      field = "";
      i += delim.length;
      continue;
    } else field += c;
    i++;
  }
  out.push(field);
  return out;
}

/** The delimiter of a header line: comma, semicolon or tab, whichever splits it most. */
export function guessDelimiter(header: string): string {
  let best = ",";
  let bestCount = -1;
  for (const d of [",", ";", "\t"]) {
    const n = splitFields(header, d).length;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/** Map of trimmed header name → column index (first occurrence wins). */
export function headerIndex(names: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  names.forEach((n, i) => {
    const k = n.trim();
    if (!m.has(k)) m.set(k, i);
  });
  return m;
}
