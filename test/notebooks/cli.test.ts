import { describe, expect, it } from "vitest";
import { runCli } from "../helpers.js";

describe("slm-energy notebooks (argument handling; execution is covered by execute.test.ts)", () => {
  it("prints its help, saying how to refresh stored outputs", async () => {
    const r = await runCli(["notebooks", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--inplace");
    expect(r.stdout).toContain("npm run notebooks");
  });

  it("lists the notebooks it would run", async () => {
    const r = await runCli(["notebooks", "--list"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("notebooks/01-reproduce-the-paper.ipynb");
    expect(r.stdout).toContain("notebooks/02-figures.ipynb");
  });

  it("rejects an unknown notebook with exit code 2, naming the real ones", async () => {
    const r = await runCli(["notebooks", "--only", "99-nothing"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown notebook "99-nothing"');
    expect(r.stderr).toContain("02-figures");
  });

  it("rejects a timeout that is not a whole number of seconds", async () => {
    const r = await runCli(["notebooks", "--timeout", "5m"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--timeout");
  });
});
