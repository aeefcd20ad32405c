import { createHash } from "node:crypto";
import { inputError } from "../errors.js";
import { SOURCE_KINDS } from "../io/corpus.js";

/** What a corpus row says about where its numbers were printed. */
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface Provenance {
  kind: SourceKind;
  /** As the corpus names sources: `owner/name`, `owner/name issue #N`, or the page's address. */
  name: string;
  /** The address given, when it was one (kept in the row's notes). */
  url: string | null;
}

const GITHUB = /^https?:\/\/(?:www\.)?github\.com\/([\w.-]+)\/([\w.-]+)(?:\/(.*))?$/i;
const RAW = /^https?:\/\/raw\.githubusercontent\.com\/([\w.-]+)\/([\w.-]+)\//i;

/**
 * The kind and name of a source from what the user gives: a GitHub address by its shape (a file,
 * an issue or pull request, a discussion), the corpus's own spellings (`owner/name`,
 * `owner/name issue #N`, `owner/name pull request #N`, `owner/name discussion #N`), else a web page.
 * `kind` overrides the inferred kind.
 */
export function provenance(source: string, kind?: SourceKind): Provenance {
  const s = source.trim();
  if (s === "")
    throw inputError("the source is empty", { field: "source", hint: "name where the numbers were printed" });
  const inferred = inferSource(s);
  return kind === undefined ? inferred : { ...inferred, kind };
}

function inferSource(s: string): Provenance {
  const raw = RAW.exec(s);
  if (raw) return { kind: "github-file", name: `${raw[1]}/${raw[2]}`, url: s };
  const gh = GITHUB.exec(s);
  if (gh) {
    const repo = `${gh[1]}/${gh[2]!.replace(/\.git$/, "")}`;
    const rest = (gh[3] ?? "").replace(/[?#].*$/, "");
    const issue = /^(issues|pull|discussions)\/(\d+)/.exec(rest);
    if (issue) {
      const what = issue[1] === "issues" ? "issue" : issue[1] === "pull" ? "pull request" : "discussion";
      return {
        kind: issue[1] === "discussions" ? "github-discussion" : "github-issue",
        name: `${repo} ${what} #${issue[2]}`,
        url: s,
      };
    }
    return { kind: "github-file", name: repo, url: s };
  }
  const spelled = /^[\w.-]+\/[\w.-]+(?: (issue|pull request|discussion) #\d+)?$/.exec(s);
  if (spelled) {
    const kind =
      spelled[1] === undefined ? "github-file" : spelled[1] === "discussion" ? "github-discussion" : "github-issue";
    return { kind, name: s, url: null };
  }
  return { kind: "web-page", name: s, url: /^https?:\/\//i.test(s) ? s : null };
}

/** A lowercase slug (`a-z0-9`, `.`, `-`), at most `max` characters. */
export function slug(text: string, max = 40): string {
  const s = text
    .toLowerCase()
    .replace(/^https?:\/\/(www\.)?/, "")
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
  return s.slice(0, max).replace(/[-.]+$/, "");
}

/**
 * The id of a row added from a file: readable parts (source, board, model, quantization, test)
 * and a short hash of all of them, so that the same source, board, model, quantization and test
 * always give the same id, and a second add of the same file is seen as such.
 */
export function corpusRowId(parts: {
  source: string;
  board: string;
  model: string;
  quantization: string | null;
  test: string;
  /** More of the test's configuration (threads, layers, build): in the hash only, to keep ids short. */
  config?: string;
}): string {
  const key = [parts.source, parts.board, parts.model, parts.quantization ?? "", parts.test, parts.config ?? ""].join(
    "\u0000",
  );
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 8);
  const readable = [slug(parts.source, 24), slug(parts.board, 24), slug(parts.model, 32)];
  if (parts.quantization !== null) readable.push(slug(parts.quantization, 16));
  readable.push(slug(parts.test, 32));
  return [...readable.filter((p) => p !== ""), hash].join("-");
}
