/**
 * Split one CSV line into fields (RFC 4180 quoting, doubled quotes), for line-streaming readers
 * of tools that never put line breaks inside fields. Null when a quote is left open, which is
 * what a truncated line looks like.
 */
export function splitCsvLine(line: string, delimiter = ","): string[] | null {
  const fields: string[] = [];
  let field = "";
  let i = 0;
  const n = line.length;
  for (;;) {
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) return null;
        const c = line[i]!;
        if (c === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += c;
        i++;
      }
    }
    while (i < n && line[i] !== delimiter) field += line[i++];
    fields.push(field);
    field = "";
    if (i >= n) return fields;
    i++; // the delimiter
  }
}
