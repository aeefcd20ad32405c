import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isSlmError } from "../../src/errors.js";
import {
  COMMIT_FILE,
  LOCK_FILE,
  recoverFileSet,
  writeFileAtomic,
  writeFileSet,
  withFolderLockSync,
} from "../../src/io/atomic-write.js";
import { writeError } from "../../src/io/files.js";
import { runCli } from "../helpers.js";
import { copyBundle, ORIN } from "../ingest/bundle/helpers.js";

const scratch = () => mkdtempSync(join(tmpdir(), "slm-out-"));
/** A pid that ran and has exited. */
const deadPid = (): number => spawnSync(process.execPath, ["-e", ""]).pid!;

/** A user's mistake in an output path: exit 2, the path named, no stack trace. */
function expectInputError(r: { code: number; stderr: string }, path: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain(path);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
}

describe("issue 13 #3: an --out that cannot be written is an input error naming it", () => {
  it("ingest --out a file, or a folder under a file (EEXIST/ENOTDIR)", async () => {
    const d = scratch();
    const file = join(d, "plain.txt");
    writeFileSync(file, "x");
    for (const out of [file, join(file, "sub")]) {
      const r = await runCli(["ingest", ORIN, "--out", out]);
      expectInputError(r, file);
      expect(r.stderr).toMatch(/cannot write the output folder: a part of its path is a file/);
    }
  });

  it("ingest where a table's name is a folder (EISDIR)", async () => {
    const d = scratch();
    mkdirSync(join(d, "runs.csv"));
    const r = await runCli(["ingest", ORIN, "--out", d]);
    expectInputError(r, join(d, "runs.csv"));
    expect(r.stderr).toMatch(/a folder is in the way where a file is to be written/);
    // Nothing of the set landed: the other tables were not written either.
    expect(readdirSync(d).sort()).toEqual(["runs.csv"]);
  });

  it("calibrate --out a folder, or under a file", async () => {
    const d = scratch();
    writeFileSync(join(d, "f"), "");
    for (const out of [d, join(d, "f", "cal.json")]) {
      const r = await runCli(["calibrate", "--out", out, "--bootstrap", "2"]);
      expectInputError(r, out === d ? d : join(d, "f"));
    }
  });

  it("simulate --out a file, or under a file", async () => {
    const d = scratch();
    const file = join(d, "f");
    writeFileSync(file, "");
    const sim = [
      "simulate",
      "--device",
      "raspberry-pi-5",
      "--backend",
      "cpu",
      "--model",
      "tinyllama-1.1b",
      "--meter",
      "pmic",
    ];
    for (const out of [file, join(file, "b")]) {
      const r = await runCli([...sim, "--benchmark", "winogrande", "--inferences", "2", "--out", out]);
      expectInputError(r, file);
    }
  });

  it("eval's writer (results, samples): a folder where the file goes", () => {
    const d = scratch();
    try {
      writeFileAtomic(d, "{}", "results file");
      expect.unreachable();
    } catch (e) {
      expect(isSlmError(e) && e.exitCode === 2 && e.file === d).toBe(true);
      expect((e as Error).message).toMatch(/cannot write the results file/);
    }
  });

  it("permission denied and a read-only disk (EACCES, EROFS) name the path and what to do", () => {
    for (const [code, text] of [
      ["EACCES", /permission denied/],
      ["EPERM", /permission denied/],
      ["EROFS", /read-only/],
      ["ENOSPC", /no space/],
    ] as const) {
      const e = writeError(Object.assign(new Error(code), { code }), "/x/out", "output folder");
      expect(isSlmError(e) && e.exitCode === 2 && e.file === "/x/out" && e.hint !== undefined).toBe(true);
      expect(e.message).toMatch(text);
    }
  });

  it("predict --gguf a folder, or a missing file: an input error, not EISDIR", async () => {
    const d = scratch();
    const base = [
      "predict",
      "--device",
      "jetson-nano",
      "--backend",
      "cpu",
      "--prompt-tokens",
      "8",
      "--gen-tokens",
      "8",
    ];
    const r = await runCli([...base, "--gguf", d]);
    expectInputError(r, d);
    expect(r.stderr).toMatch(/expected a model file, found a folder/);
    const missing = await runCli([...base, "--gguf", join(d, "none.gguf")]);
    expectInputError(missing, "none.gguf");
  });
});

describe("a failed ingest into a new --out", () => {
  it("leaves no empty folder behind", async () => {
    const out = join(scratch(), "new");
    const r = await runCli(["ingest", join(scratch(), "no-bundle"), "--out", out]);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});

describe("issue 13 #22: an empty --out is a usage error, not the working folder", () => {
  it.each([
    [["ingest", ORIN]],
    [["calibrate", "--bootstrap", "2"]],
    [["simulate", "--device", "raspberry-pi-5", "--backend", "cpu", "--model", "tinyllama-1.1b"]],
    [["eval", "--model", "m.gguf", "--task", "t.jsonl", "--format", "mmlu"]],
  ])("%j --out ''", async (args) => {
    const r = await runCli([...args, "--out", ""]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--out is empty/);
  });
});

describe("issue 13 #8: ingest never writes into a bundle", () => {
  it("refuses --out equal to, inside, or linked to an input bundle, and leaves the bundle as it was", async () => {
    const b = copyBundle(ORIN);
    const link = join(scratch(), "link");
    symlinkSync(b, link);
    const before = readdirSync(b).sort();
    for (const out of [b, join(b, "processed"), join(link, "x")]) {
      const r = await runCli(["ingest", b, "--out", out]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/lies inside it/);
    }
    expect(readdirSync(b).sort()).toEqual(before);
  });
});

describe("issue 13 #9/#10: the table set is written as a whole, under a lock", () => {
  const set = (tag: string) => ["a.csv", "b.csv", "c.csv"].map((name) => ({ name, content: `${tag} ${name}\n` }));
  const read = (d: string) => ["a.csv", "b.csv", "c.csv"].map((n) => readFileSync(join(d, n), "utf8"));

  it("a death before the commit leaves the old set; after it, the next writer completes the new one", () => {
    const d = scratch();
    writeFileSet(d, set("old"));
    // kill -9 between the renames: the first rename done, the rest not.
    expect(() =>
      writeFileSet(d, set("new"), {
        afterRename: () => {
          throw new Error("killed");
        },
      }),
    ).toThrow("killed");
    expect(existsSync(join(d, COMMIT_FILE))).toBe(true);
    expect(read(d)).toEqual(["new a.csv\n", "old b.csv\n", "old c.csv\n"]);
    expect(recoverFileSet(d)).toBe(true);
    expect(read(d)).toEqual(["new a.csv\n", "new b.csv\n", "new c.csv\n"]);
    expect(readdirSync(d).filter((n) => n.startsWith("."))).toEqual([]);
  });

  it("a failure while staging leaves the old set untouched and no temp files", () => {
    const d = scratch();
    writeFileSet(d, set("old"));
    mkdirSync(join(d, "d.csv"));
    expect(() => writeFileSet(d, [...set("new"), { name: "d.csv", content: "x" }])).toThrow(
      expect.objectContaining({ file: join(d, "d.csv") }),
    );
    expect(read(d)).toEqual(["old a.csv\n", "old b.csv\n", "old c.csv\n"]);
    expect(readdirSync(d).filter((n) => n.startsWith("."))).toEqual([]);
  });

  it("ingest completes a set a killed ingest committed, and removes the temp files of dead pids", async () => {
    const d = scratch();
    const r1 = await runCli(["ingest", ORIN, "--out", d]);
    expect(r1.code, r1.stderr).toBe(0);
    const good = readFileSync(join(d, "runs.csv"), "utf8");
    const pid = deadPid();
    writeFileSync(join(d, `.runs.csv.${pid}.1700000000000.tmp`), "half a table");
    writeFileSync(join(d, "runs.csv"), "stale\n");
    writeFileSync(join(d, `.runs.csv.${pid}.1700000000001.tmp`), good);
    writeFileSync(
      join(d, COMMIT_FILE),
      JSON.stringify({ pid, renames: [{ tmp: `.runs.csv.${pid}.1700000000001.tmp`, name: "runs.csv" }] }),
    );
    const r2 = await runCli(["ingest", ORIN, "--out", d]);
    expect(r2.code, r2.stderr).toBe(0);
    expect(readFileSync(join(d, "runs.csv"), "utf8")).toBe(good);
    expect(readdirSync(d).filter((n) => n.startsWith("."))).toEqual([]);
  });

  it("a second ingest into a locked folder fails naming the lock and its pid; a dead owner's lock is taken over", async () => {
    const d = scratch();
    const alive = process.ppid;
    writeFileSync(join(d, LOCK_FILE), JSON.stringify({ pid: alive }));
    const r = await runCli(["ingest", ORIN, "--out", d]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(join(d, LOCK_FILE));
    expect(r.stderr).toContain(`pid ${alive}`);
    expect(existsSync(join(d, "runs.csv"))).toBe(false);
    writeFileSync(join(d, LOCK_FILE), JSON.stringify({ pid: deadPid() }));
    const again = await runCli(["ingest", ORIN, "--out", d]);
    expect(again.code, again.stderr).toBe(0);
    expect(readdirSync(d).sort()).toEqual([
      "inferences.csv",
      "ingest-summary.json",
      "parquet",
      "quarantine.csv",
      "runs.csv",
    ]);
  });

  it("two ingests at once into one --out: one writes, the other fails naming the lock", async () => {
    const d = scratch();
    const rs = await Promise.all([runCli(["ingest", ORIN, "--out", d]), runCli(["ingest", ORIN, "--out", d])]);
    expect(rs.map((r) => r.code).sort()).toEqual([0, 2]);
    const failed = rs.find((r) => r.code === 2)!;
    expect(failed.stderr).toMatch(/another ingest \(pid \d+\) is writing into this folder/);
    expect(failed.stderr).toContain(join(d, LOCK_FILE));
    expect(existsSync(join(d, LOCK_FILE))).toBe(false);
  });

  it("the lock is re-entrant in one process and released after", () => {
    const d = scratch();
    withFolderLockSync(d, "test", () => withFolderLockSync(d, "test", () => writeFileSet(d, set("x"))));
    expect(existsSync(join(d, LOCK_FILE))).toBe(false);
  });
});
