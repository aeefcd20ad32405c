/**
 * Make Chromium's PDF byte-stable: it stamps /CreationDate and /ModDate with the current time.
 * Each date is replaced by a fixed one of exactly the same length, so the cross-reference table's
 * byte offsets stay valid.
 */
export function normalizePdf(pdf: Uint8Array): Uint8Array {
  const text = Buffer.from(pdf).toString("latin1");
  const fixed = text.replace(/\/(CreationDate|ModDate)\s*\(D:([^)]*)\)/g, (m, _key: string, date: string) => {
    const stable = "20000101000000+00'00'".padEnd(date.length, "0").slice(0, date.length);
    return m.replace(`D:${date}`, `D:${stable}`);
  });
  return Buffer.from(fixed, "latin1");
}

/** Number of pages of a PDF, counted from its page objects (`/Type /Page`, not `/Pages`). */
export function pdfPageCount(pdf: Uint8Array): number {
  const text = Buffer.from(pdf).toString("latin1");
  if (!text.startsWith("%PDF-")) return 0;
  return (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}
