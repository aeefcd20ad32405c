import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { AsyncLocalStorage } from "node:async_hooks";
import { basename, dirname, join } from "node:path";
import { SlmError } from "../errors.js";
import { writeError } from "./files.js";

/** `.<name>.<pid>.<ms>.tmp`: the temporary file a write goes through, named by the writing process. */
const TEMP = /^\..+\.(\d+)\.\d+\.tmp$/;
const tempName = (path: string): string => join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);

/** Creates `dir` and its parents; a file in the way or no permission is an input error naming it. */
export function ensureFolder(dir: string, what = "output folder"): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw writeError(e, dir, what);
  }
  if (!statSync(dir).isDirectory()) {
    throw writeError(Object.assign(new Error("not a folder"), { code: "ENOTDIR" }), dir, what);
  }
}

/** Whether process `pid` is running (on this machine). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the temporary files in `dir` that a process no longer running left behind (a crash, kill -9). */
export function removeStaleTemps(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP.exec(name);
    if (!m || Number(m[1]) === process.pid || pidAlive(Number(m[1]))) continue;
    rmSync(join(dir, name), { force: true, recursive: true });
    removed.push(name);
  }
  return removed;
}

/** Whether `path` already holds exactly `bytes` (a folder there is an error naming it). */
function sameContent(path: string, bytes: Buffer, what: string): boolean {
  if (!existsSync(path)) return false;
  if (statSync(path).isDirectory()) {
    throw writeError(Object.assign(new Error("is a folder"), { code: "EISDIR" }), path, what);
  }
  try {
    return readFileSync(path).equals(bytes);
  } catch {
    return false; // unreadable: rewrite it (the write says why if it cannot)
  }
}

/** Writes `bytes` to a fresh temporary file beside `path`, returning its name. */
function writeTemp(path: string, bytes: Buffer, what: string): string {
  const tmp = tempName(path);
  try {
    writeFileSync(tmp, bytes, { flag: "wx" });
  } catch (e) {
    rmSync(tmp, { force: true });
    throw writeError(e, path, what);
  }
  return tmp;
}

function renameInto(tmp: string, path: string, what: string): void {
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw writeError(e, path, what);
  }
}

const toBytes = (content: string | Uint8Array): Buffer =>
  typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);

/**
 * Write a file atomically: the content goes to a temporary file in the same folder, which is then
 * renamed over the target, so a reader never sees a half-written file and a crash leaves the old
 * one intact. Creates missing parent folders; temporary files of dead processes there are removed.
 * A path that cannot be written (a folder in the way, no permission) is an input error naming it.
 *
 * @returns `true` if the file changed, `false` when it already held exactly this content (then it
 *   is not touched, so regenerated outputs do not churn timestamps).
 */
export function writeFileAtomic(path: string, content: string | Uint8Array, what = "output file"): boolean {
  const bytes = toBytes(content);
  if (sameContent(path, bytes, what)) return false;
  const dir = dirname(path);
  ensureFolder(dir);
  removeStaleTemps(dir);
  renameInto(writeTemp(path, bytes, what), path, what);
  return true;
}

/** The journal that commits a file set: once it exists, the set's new files are the truth. */
export const COMMIT_FILE = ".slm-energy-commit.json";
/** The lock a writer of a file set holds on its folder. */
export const LOCK_FILE = ".slm-energy.lock";

interface CommitJournal {
  pid: number;
  renames: { tmp: string; name: string }[];
}

/**
 * Completes a file set whose writer died after committing it (kill -9 between the renames): every
 * temporary file the journal names that is still there is renamed into place. Returns whether there
 * was a journal. Call with the folder's lock held.
 */
export function recoverFileSet(dir: string): boolean {
  const journal = join(dir, COMMIT_FILE);
  if (!existsSync(journal)) return false;
  let j: CommitJournal | null;
  try {
    j = JSON.parse(readFileSync(journal, "utf8")) as CommitJournal;
  } catch {
    j = null; // a journal is written atomically; an unreadable one commits nothing
  }
  for (const r of j?.renames ?? []) {
    if (basename(r.tmp) !== r.tmp || basename(r.name) !== r.name) continue;
    if (existsSync(join(dir, r.tmp))) renameInto(join(dir, r.tmp), join(dir, r.name), "output file");
  }
  rmSync(journal, { force: true });
  return true;
}

/** Test hook: called after each rename of a committed set (a test throws here to play a crash). */
export interface FileSetOptions {
  afterRename?: (name: string) => void;
}

/**
 * Write a set of files into `dir` as a whole: every changed file goes to a temporary file first;
 * then a journal naming them is written atomically (the commit point), the renames follow and the
 * journal is removed. A crash before the commit leaves the old set; after it, the next writer (or
 * recoverFileSet) completes the new one, so the folder never keeps a mix. Call with the lock held.
 *
 * @returns for each file, in order, whether it changed.
 */
export function writeFileSet(
  dir: string,
  files: readonly { name: string; content: string | Uint8Array }[],
  opts: FileSetOptions = {},
): boolean[] {
  ensureFolder(dir);
  recoverFileSet(dir);
  removeStaleTemps(dir);
  const staged: { tmp: string; name: string }[] = [];
  const changed: boolean[] = [];
  try {
    for (const f of files) {
      const path = join(dir, f.name);
      const bytes = toBytes(f.content);
      const same = sameContent(path, bytes, "output file");
      if (!same) staged.push({ tmp: basename(writeTemp(path, bytes, "output file")), name: f.name });
      changed.push(!same);
    }
  } catch (e) {
    for (const s of staged) rmSync(join(dir, s.tmp), { force: true });
    throw e;
  }
  if (staged.length === 0) return changed;
  const journal: CommitJournal = { pid: process.pid, renames: staged };
  try {
    renameInto(
      writeTemp(join(dir, COMMIT_FILE), toBytes(JSON.stringify(journal)), "output file"),
      join(dir, COMMIT_FILE),
      "output file",
    );
  } catch (e) {
    for (const s of staged) rmSync(join(dir, s.tmp), { force: true });
    throw e;
  }
  for (const s of staged) {
    renameInto(join(dir, s.tmp), join(dir, s.name), "output file");
    opts.afterRename?.(s.name);
  }
  rmSync(join(dir, COMMIT_FILE), { force: true });
  return changed;
}

/** The locks the running call chain holds (so a nested write re-enters, a concurrent one waits its turn). */
const held = new AsyncLocalStorage<ReadonlySet<string>>();

/** The pid a lock file names, or null when it names none. */
function lockOwner(path: string): number | null {
  try {
    const pid = Number((JSON.parse(readFileSync(path, "utf8")) as { pid?: unknown }).pid);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Takes `dir`'s lock file, or says which process holds it; a lock of a dead process is taken over. */
function acquireLock(dir: string, what: string): string {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }) + "\n", { flag: "wx" });
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw writeError(e, path, "lock file");
    }
    const owner = lockOwner(path);
    const young = Date.now() - statSync(path).mtimeMs < 5000;
    if ((owner !== null && pidAlive(owner)) || (owner === null && young)) {
      throw new SlmError("E_CONFLICT", `another ${what} (pid ${owner ?? "unknown"}) is writing into this folder`, {
        file: path,
        hint: `wait for it to finish; if no process ${owner ?? ""} runs, delete ${path}`.replace("  ", " "),
      });
    }
    rmSync(path, { force: true }); // its owner is gone
  }
  throw new SlmError("E_CONFLICT", `cannot take the lock of this folder`, { file: path, hint: `delete ${path}` });
}

/** Runs `fn` holding the lock of `dir`, unless the calling chain already holds it. */
function locked<T>(dir: string, what: string, fn: () => T): T {
  ensureFolder(dir);
  const key = join(dir, LOCK_FILE);
  const mine = held.getStore() ?? new Set<string>();
  if (mine.has(key)) return fn();
  const path = acquireLock(dir, what);
  const release = () => {
    if (lockOwner(path) === process.pid) rmSync(path, { force: true });
  };
  let result: T;
  try {
    result = held.run(new Set([...mine, key]), fn);
  } catch (e) {
    release();
    throw e;
  }
  if (result instanceof Promise) return result.finally(release) as T;
  release();
  return result;
}

/**
 * Runs `fn` holding the lock file of folder `dir` (created when missing): a second writer into the
 * same folder, in another process or concurrently in this one, fails with an error naming the lock
 * and the pid holding it. Calls nested inside `fn` re-enter it.
 */
export async function withFolderLock<T>(dir: string, what: string, fn: () => T | Promise<T>): Promise<T> {
  return await locked(dir, what, fn);
}

/** withFolderLock for synchronous work. */
export function withFolderLockSync<T>(dir: string, what: string, fn: () => T): T {
  return locked(dir, what, fn);
}
