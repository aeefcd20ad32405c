/**
 * A synthetic SentencePiece-style ("llama") vocabulary for synthetic models: `<unk>`, `<s>`,
 * `</s>`, the 256 byte-fallback tokens `<0x00>`…`<0xFF>`, printable ASCII, then lower-case
 * letter strings of growing length with and without the word-start mark `▁`, ranked by length.
 * Every prefix of a token is itself a token, so llama.cpp's SPM merge finds them; English-like
 * text tokenizes to roughly 2–3 characters per token, near real tokenizers' density.
 */

export const TOKEN_TYPE = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, BYTE: 6 } as const;

export interface SyntheticVocab {
  tokens: string[];
  scores: number[];
  tokenTypes: number[];
  unkId: number;
  bosId: number;
  eosId: number;
}

/** Smallest vocabulary the writer accepts: specials, bytes and printable ASCII. */
export const MIN_VOCAB = 3 + 256 + 1 + 94;

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

export function syntheticVocab(size: number): SyntheticVocab {
  const tokens: string[] = ["<unk>", "<s>", "</s>"];
  const types: number[] = [TOKEN_TYPE.UNKNOWN, TOKEN_TYPE.CONTROL, TOKEN_TYPE.CONTROL];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(TOKEN_TYPE.BYTE);
  }
  const seen = new Set(tokens);
  const push = (t: string): boolean => {
    if (tokens.length >= size) return false;
    if (seen.has(t)) return true;
    seen.add(t);
    tokens.push(t);
    types.push(TOKEN_TYPE.NORMAL);
    return true;
  };
  push("▁");
  for (let c = 0x21; c <= 0x7e; c++) push(String.fromCharCode(c));
  for (let c = 0x21; c <= 0x7e; c++) push(`▁${String.fromCharCode(c)}`);
  // Letter strings of length 2, 3, …: "ab", "▁ab", …
  let prev = [...LETTERS];
  while (tokens.length < size) {
    const next: string[] = [];
    for (const p of prev) {
      for (const l of LETTERS) {
        const s = p + l;
        if (!push(s) || !push(`▁${s}`)) break;
        next.push(s);
      }
      if (tokens.length >= size) break;
    }
    prev = next;
  }
  const scores = tokens.map((_, i) => (types[i] === TOKEN_TYPE.NORMAL ? -i : 0));
  return { tokens, scores, tokenTypes: types, unkId: 0, bosId: 1, eosId: 2 };
}
