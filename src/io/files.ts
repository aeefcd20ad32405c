import { readFileSync, statSync } from "node:fs";
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
  if (code === "ENOTDIR") {
    return notFoundError(`${what} not found: a part of its path is a file, not a folder`, {
      file: path,
      hint: "check the path",
    });
  }
  return e instanceof Error ? e : new Error(String(e));
}

/** Refuses anything but a readable regular file at `path` (a folder, say) before a reader opens it. */
export function requireFile(path: string, what = "file"): void {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (e) {
    throw readError(e, path, what);
  }
  if (!isFile) throw readError(Object.assign(new Error("not a file"), { code: "EISDIR" }), path, what);
}

/**
 * The error a failed write (or folder creation) at `path` becomes: an input error naming the path
 * and what to do, for everything a user's choice of output path can cause (a file where a folder
 * is needed, a folder where a file is, no permission, a read-only or full disk). Other errors pass.
 */
export function writeError(e: unknown, path: string, what = "output"): Error {
  const code = (e as NodeJS.ErrnoException).code;
  const opts = (message: string, hint: string) =>
    inputError(`cannot write the ${what}: ${message}`, {
      file: path,
      hint,
      cause: e,
    });
  switch (code) {
    case "EEXIST":
    case "ENOTDIR":
      return opts("a part of its path is a file, not a folder", "choose an output path whose folders are folders");
    case "EISDIR":
      return opts("a folder is in the way where a file is to be written", "give a file path, or remove the folder");
    case "EACCES":
    case "EPERM":
      return opts("permission denied", "choose a folder you may write to, or check its permissions");
    case "EROFS":
      return opts("the file system is read-only", "choose a folder on a writable disk");
    case "ENOSPC":
    case "EDQUOT":
      return opts("no space left on the disk", "free some space or choose another disk");
    case "ENAMETOOLONG":
      return opts("the path is too long", "choose a shorter output path");
    default:
      return e instanceof Error ? e : new Error(String(e));
  }
}
