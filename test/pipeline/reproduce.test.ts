import { describe, expect, it } from "vitest";
import { REPRODUCE_STAGES, reproduceContext, runReproduce, type ReproduceStage } from "../../src/pipeline/reproduce.js";
import { reproduceCommand } from "../../src/cli/commands/reproduce.js";

describe("the reproduce pipeline (pipeline/reproduce)", () => {
  it("names its stages in the order data flows, as the command's help lists them", () => {
    const names = REPRODUCE_STAGES.map((s) => s.name);
    expect(names).toEqual([
      "ingest",
      "calibrate",
      "validate",
      "validate-corpus",
      "tables",
      "claims",
      "sampling-study",
      "figures",
      "site",
      "readme",
    ]);
    const listed = names.map((n) => reproduceCommand.usage.indexOf(`\n  ${n} `));
    expect(listed.every((i) => i > 0)).toBe(true);
    expect([...listed].sort((a, b) => a - b)).toEqual(listed);
  });

  it("runs the given stages in order, reporting each, and shares the paper and its audit", async () => {
    const ctx = reproduceContext(process.cwd());
    const seen: string[] = [];
    const stage = (name: string): ReproduceStage => ({
      name,
      inputs: [],
      run: (c) => {
        expect(c.paper).toBe(ctx.paper);
        expect(c.audit).toBe(ctx.audit);
        return Promise.resolve([{ path: `${name}.txt`, changed: false }]);
      },
    });
    const reports = await runReproduce(ctx, [stage("a"), stage("b")], (r) => seen.push(r.name));
    expect(seen).toEqual(["a", "b"]);
    expect(reports.map((r) => r.written[0]!.path)).toEqual(["a.txt", "b.txt"]);
  });
});
