import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/io/atomic-write.js";
import { reproduceContext, runReproduce, type ReproduceStage } from "../../src/pipeline/reproduce.js";

// Synthetic stages on a temporary root: "upper" reads in/a.txt and writes out/a.txt, "join" reads
// out/a.txt and in/b.txt and writes out/b.txt, "count" reads in/c.txt and writes out/c.txt.
let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup() {
  dir = mkdtempSync(join(tmpdir(), "slm-stage-cache-"));
  mkdirSync(join(dir, "in"));
  for (const f of ["a", "b", "c"]) writeFileSync(join(dir, "in", `${f}.txt`), `${f} input\n`);
  const ran: string[] = [];
  const stage = (name: string, inputs: string[], out: string, make: (read: (p: string) => string) => string) =>
    ({
      name,
      inputs,
      run: (c) => {
        ran.push(name);
        const text = make((p) => readFileSync(join(c.root, p), "utf8"));
        return Promise.resolve([{ path: out, changed: writeFileAtomic(join(c.root, out), text) }]);
      },
    }) satisfies ReproduceStage;
  const stages = [
    stage("upper", ["in/a.txt"], "out/a.txt", (r) => r("in/a.txt").toUpperCase()),
    stage("join", ["out/a.txt", "in/b.txt"], "out/b.txt", (r) => r("out/a.txt") + r("in/b.txt")),
    stage("count", ["in"], "out/c.txt", (r) => `${r("in/c.txt").length}\n`),
  ];
  const ctx = { ...reproduceContext(process.cwd()), root: dir };
  const run = async (cache = true) => {
    ran.length = 0;
    const reports = await runReproduce(ctx, stages, () => {}, { cache });
    return { ran: [...ran], cached: reports.filter((r) => r.cached).map((r) => r.name), reports };
  };
  return { run };
}

describe("the reproduce stage cache (pipeline/stage-cache)", () => {
  it("skips a stage whose inputs, code and outputs match its record, and reruns exactly what depends on a change", async () => {
    const { run } = setup();
    expect((await run()).ran).toEqual(["upper", "join", "count"]);
    const warm = await run();
    expect(warm.ran).toEqual([]);
    expect(warm.cached).toEqual(["upper", "join", "count"]);
    expect(warm.reports.flatMap((r) => r.written)).toEqual([
      { path: "out/a.txt", changed: false },
      { path: "out/b.txt", changed: false },
      { path: "out/c.txt", changed: false },
    ]);
    writeFileSync(join(dir, "in", "b.txt"), "b changed\n");
    expect((await run()).ran).toEqual(["join", "count"]); // not upper: in/b.txt is not its input
    writeFileSync(join(dir, "in", "a.txt"), "a changed\n");
    expect((await run()).ran).toEqual(["upper", "join", "count"]); // count reads the whole in/ folder
    expect(readFileSync(join(dir, "out", "b.txt"), "utf8")).toBe("A CHANGED\nb changed\n");
    expect((await run()).ran).toEqual([]);
  });

  it("regenerates a deleted or edited output, and --no-cache runs everything", async () => {
    const { run } = setup();
    await run();
    rmSync(join(dir, "out", "b.txt"));
    expect((await run()).ran).toEqual(["join"]);
    expect(readFileSync(join(dir, "out", "b.txt"), "utf8")).toBe("A INPUT\nb input\n");
    writeFileSync(join(dir, "out", "a.txt"), "edited by hand\n");
    // upper rewrites out/a.txt as it was, so join's input is back to its record: join stays cached
    expect((await run()).ran).toEqual(["upper"]);
    expect(readFileSync(join(dir, "out", "a.txt"), "utf8")).toBe("A INPUT\n");
    expect((await run(false)).ran).toEqual(["upper", "join", "count"]);
    writeFileSync(join(dir, ".cache", "reproduce", "count.json"), "{ damaged");
    expect((await run()).ran).toEqual(["count"]);
  });
});
