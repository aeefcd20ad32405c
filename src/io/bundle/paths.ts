import { createHash } from "node:crypto";
import { createReadStream, lstatSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep, win32 } from "node:path";
import { SlmError, notFoundError } from "../../errors.js";

/**
 * Resolve a path named in a bundle manifest to a real file inside the bundle, or refuse it with
 * E_UNSAFE_PATH: absolute paths (POSIX or Windows), any `..` segment, and paths that leave the
 * bundle through a symbolic link. A missing file is E_NOT_FOUND; a folder or device is E_INPUT.
 */
export function resolveInsideBundle(
  bundleDir: string,
  rel: string,
  where: { file: string; field: string; line?: number },
): string {
  const unsafe = (message: string): SlmError =>
    new SlmError("E_UNSAFE_PATH", message, {
      file: where.file,
      field: where.field,
      text: rel,
      ...(where.line === undefined ? {} : { line: where.line }),
      hint: "name raw files by paths relative to the bundle folder, and keep them (not links to them) inside it",
    });
  if (rel.trim() === "") throw unsafe("an empty path");
  if (isAbsolute(rel) || win32.isAbsolute(rel) || /^[A-Za-z]:/.test(rel))
    throw unsafe("an absolute path points outside the bundle");
  if (rel.split(/[\\/]+/).includes("..")) throw unsafe('a path with ".." may leave the bundle');
  if (rel.includes("\0")) throw unsafe("a path with a NUL byte");
  const root = realpathSync(bundleDir);
  const candidate = join(root, rel);
  try {
    lstatSync(candidate);
  } catch {
    throw notFoundError("the file named in the manifest does not exist", {
      file: where.file,
      field: where.field,
      text: rel,
      ...(where.line === undefined ? {} : { line: where.line }),
      hint: "check the spelling; paths are relative to the bundle folder",
    });
  }
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    throw unsafe("a symbolic link that leads nowhere");
  }
  const inside = relative(root, real);
  const notAFile = (what: string): SlmError =>
    new SlmError("E_INPUT", what, {
      file: where.file,
      field: where.field,
      text: rel,
      ...(where.line === undefined ? {} : { line: where.line }),
      hint: "name a file, not a folder",
    });
  // "." (or "a/..", "./"): the bundle folder itself, which is no link and no file.
  if (inside === "") throw notAFile("not a regular file: a folder (the bundle folder itself)");
  if (inside.startsWith(`..${sep}`) || inside === ".." || isAbsolute(inside)) {
    throw unsafe("a symbolic link leads outside the bundle");
  }
  const st = statSync(real);
  if (!st.isFile()) throw notAFile(st.isDirectory() ? "not a regular file: a folder" : "not a regular file");
  return real;
}

/** SHA-256 of a file, hex, streamed (read-only). */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash("sha256");
    const stream = createReadStream(path, { flags: "r" });
    stream.on("data", (chunk) => hash.update(chunk));
    stream.on("error", reject);
    stream.on("end", () => resolvePromise(hash.digest("hex")));
  });
}

/** The real path `p` has or would have: the nearest existing ancestor's real path, plus the rest. */
export function realPathOf(p: string): string {
  const abs = resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realPathOf(parent), basename(abs));
  }
}

/** Whether `p` is `folder` or lies inside it, by real paths (symbolic links followed). */
export function isInsideFolder(p: string, folder: string): boolean {
  const rel = relative(realPathOf(folder), realPathOf(p));
  return rel === "" || !(rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}
