import { readFileSync } from "node:fs";
import type { z } from "zod";
import { inputError, notFoundError } from "../errors.js";
import { decodeJson, parseJsonDocument, type DecodeOptions, type JsonDocument } from "./json.js";

/**
 * Reading the project's and the user's files, with the failures a user can cause (missing file,
 * a folder where a file should be, no permission, not UTF-8 text) as input errors naming the file.
 */
export function readTextFile(path: string, what = "file"): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw readError(e, path, what);
  }
}

/** Reads and parses a JSON file, keeping the line of every value for later errors. */
export function readJsonDocument(path: string, what = "JSON file"): JsonDocument {
  return parseJsonDocument(readTextFile(path, what), path);
}

/** Reads a JSON file and validates it against `schema`, every bad field reported at once. */
export function readJsonFile<S extends z.ZodType>(schema: S, path: string, options: DecodeOptions = {}): z.output<S> {
  return decodeJson(schema, readJsonDocument(path), options);
}

/** The error a failed read of `path` becomes: not found (exit 2), not a file, or no permission. */
export function readError(e: unknown, path: string, what = "file"): Error {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return notFoundError(`${what} not found`, { file: path, hint: "check the path" });
  if (code === "EISDIR") return inputError(`expected a ${what}, found a folder`, { file: path, hint: "give a file" });
  if (code === "EACCES" || code === "EPERM") {
    return inputError(`cannot read the ${what}: permission denied`, { file: path, hint: "check its permissions" });
  }
  return e instanceof Error ? e : new Error(String(e));
}
