/**
 * The error vocabulary of slm-energy. Every error a user can meet says *where* (file, line, field),
 * *what* (the offending text) and *what to do* (a hint), and maps to a process exit code:
 * 1 for failures of the tool or its environment, 2 for bad input or usage.
 */

/** Stable machine-readable error codes. */
export type ErrorCode =
  | "E_USAGE" // bad command line
  | "E_INPUT" // a file's content is not what it should be (parse or schema failure)
  | "E_NOT_FOUND" // a file, id or key does not exist
  | "E_UNSAFE_PATH" // a path escapes the folder it must stay in
  | "E_CONFLICT" // two inputs disagree
  | "E_ENV" // the machine lacks something (a binary, a permission)
  | "E_INTERNAL"; // a bug: an invariant broke

/** Where in an input the problem is. All fields optional; give as many as are known. */
export interface Location {
  file?: string;
  line?: number;
  field?: string;
  /** The offending text, shortened when long. */
  text?: string;
}

/** One problem among several found in the same input (a file with several bad fields). */
export interface Issue extends Location {
  message: string;
  hint?: string;
}

export interface SlmErrorOptions extends Location {
  hint?: string;
  cause?: unknown;
  /** Further problems found in the same input, reported together with the first. */
  issues?: readonly Issue[];
}

const EXIT_CODES: Record<ErrorCode, 1 | 2> = {
  E_USAGE: 2,
  E_INPUT: 2,
  E_NOT_FOUND: 2,
  E_UNSAFE_PATH: 2,
  E_CONFLICT: 2,
  E_ENV: 1,
  E_INTERNAL: 1,
};

export class SlmError extends Error {
  readonly code: ErrorCode;
  readonly file?: string;
  readonly line?: number;
  readonly field?: string;
  readonly text?: string;
  readonly hint?: string;
  /** Further problems in the same input, beyond the one this error names (empty when none). */
  readonly issues: readonly Issue[];

  constructor(code: ErrorCode, message: string, options: SlmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SlmError";
    this.code = code;
    if (options.file !== undefined) this.file = options.file;
    if (options.line !== undefined) this.line = options.line;
    if (options.field !== undefined) this.field = options.field;
    if (options.text !== undefined) this.text = shorten(options.text);
    if (options.hint !== undefined) this.hint = options.hint;
    this.issues = (options.issues ?? []).map((i) => (i.text === undefined ? i : { ...i, text: shorten(i.text) }));
  }

  get exitCode(): 1 | 2 {
    return EXIT_CODES[this.code];
  }

  /** `file:line: field "x": message (text: …) — hint: …` */
  format(): string {
    const where = [this.file, this.line].filter((x) => x !== undefined).join(":");
    const parts: string[] = [];
    parts.push(where ? `${where}: ` : "");
    if (this.field) parts.push(`field "${this.field}": `);
    parts.push(this.message);
    if (this.text !== undefined) parts.push(`\n  offending text: ${JSON.stringify(this.text)}`);
    if (this.hint) parts.push(`\n  hint: ${this.hint}`);
    for (const i of this.issues) {
      const at = [i.line === undefined ? "" : `line ${i.line}`, i.field === undefined ? "" : `field "${i.field}"`]
        .filter((x) => x !== "")
        .join(", ");
      parts.push(`\n  also${at === "" ? "" : ` ${at}`}: ${i.message}`);
      if (i.text !== undefined) parts.push(` (offending text: ${JSON.stringify(i.text)})`);
      if (i.hint) parts.push(` — hint: ${i.hint}`);
    }
    return parts.join("");
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      file: this.file ?? null,
      line: this.line ?? null,
      field: this.field ?? null,
      text: this.text ?? null,
      hint: this.hint ?? null,
      ...(this.issues.length === 0 ? {} : { issues: this.issues }),
    };
  }
}

export const usageError = (message: string, hint?: string): SlmError =>
  new SlmError("E_USAGE", message, hint === undefined ? {} : { hint });

export const inputError = (message: string, options: SlmErrorOptions = {}): SlmError =>
  new SlmError("E_INPUT", message, options);

export const notFoundError = (message: string, options: SlmErrorOptions = {}): SlmError =>
  new SlmError("E_NOT_FOUND", message, options);

export const internalError = (message: string, cause?: unknown): SlmError =>
  new SlmError("E_INTERNAL", message, cause === undefined ? {} : { cause });

export function isSlmError(e: unknown): e is SlmError {
  return e instanceof SlmError;
}

function shorten(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
