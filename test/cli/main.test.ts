import { describe, expect, it } from "vitest";
import { joinNegativeValues } from "../../src/cli/main.js";
import { runCli } from "../helpers.js";

describe("joinNegativeValues", () => {
  const options = { "prompt-tokens": { type: "string" as const }, json: { type: "boolean" as const } };

  it("joins a string option with a negative number that follows it", () => {
    expect(joinNegativeValues(["--prompt-tokens", "-5"], options)).toEqual(["--prompt-tokens=-5"]);
    expect(joinNegativeValues(["--prompt-tokens", "-.5", "--json"], options)).toEqual([
      "--prompt-tokens=-.5",
      "--json",
    ]);
    expect(joinNegativeValues(["--prompt-tokens", "-1e3"], options)).toEqual(["--prompt-tokens=-1e3"]);
  });

  it("leaves everything else as it was: flags, option-like words, boolean options, unknown options", () => {
    expect(joinNegativeValues(["--prompt-tokens", "5"], options)).toEqual(["--prompt-tokens", "5"]);
    expect(joinNegativeValues(["--prompt-tokens", "--json"], options)).toEqual(["--prompt-tokens", "--json"]);
    expect(joinNegativeValues(["--json", "-5"], options)).toEqual(["--json", "-5"]);
    expect(joinNegativeValues(["--other", "-5"], options)).toEqual(["--other", "-5"]);
    expect(joinNegativeValues(["--prompt-tokens"], options)).toEqual(["--prompt-tokens"]);
    expect(joinNegativeValues(["file.txt", "-x"], options)).toEqual(["file.txt", "-x"]);
  });
});

describe("numeric options of collect and eval", () => {
  const collect = ["collect", "--model", "no-such.gguf", "--out", "no-such-dir", "--benchmark-like", "mmlu"];
  const evalArgs = ["eval", "--model", "no-such.gguf", "--task", "no-such.jsonl", "--format", "mmlu"];

  it("a negative value gets the option's range, not node's 'argument is ambiguous'", async () => {
    const r = await runCli([...collect, "--gen-tokens", "-5"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--gen-tokens must be an integer ≥ 0 \(got "-5"\)/);
    expect(r.stderr).not.toMatch(/ambiguous/);
    const e = await runCli([...evalArgs, "--limit", "-3"]);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/--limit must be an integer ≥ 1 \(got "-3"\)/);
    expect(e.stderr).not.toMatch(/ambiguous/);
  });

  it("every numeric option of collect speaks the one style", async () => {
    const cases: [string, string, RegExp][] = [
      ["--n", "0", /--n must be an integer ≥ 1 \(got "0"\)/],
      ["--threads", "1.5", /--threads must be an integer ≥ 1 \(got "1.5"\)/],
      ["--sample-ms", "0.5", /--sample-ms must be a number ≥ 1 \(got "0.5"\)/],
      ["--idle-s", "-1", /--idle-s must be a number ≥ 0 \(got "-1"\)/],
      ["--warmup", "x", /--warmup must be an integer ≥ 0 \(got "x"\)/],
      ["--seed", "-2", /--seed must be an integer ≥ 0 \(got "-2"\)/],
    ];
    for (const [flag, value, message] of cases) {
      const r = await runCli([...collect, flag, value]);
      expect(r.code, flag).toBe(2);
      expect(r.stderr, flag).toMatch(message);
    }
    const t = await runCli([...evalArgs, "--threads", "0"]);
    expect(t.stderr).toMatch(/--threads must be an integer ≥ 1 \(got "0"\)/);
  });

  it("names the flag when a choice is unknown (the core speaks domain words)", async () => {
    const sensor = await runCli([...collect, "--sensor", "wattmeter"]);
    expect(sensor.code).toBe(2);
    expect(sensor.stderr).toMatch(/--sensor must be auto, none or one of rapl, .*pmic, nvidia-smi \(got "wattmeter"\)/);
    const like = await runCli(["collect", "--model", "m.gguf", "--out", "d", "--benchmark-like", "gsm8k"]);
    expect(like.stderr).toMatch(/--benchmark-like must be one of mmlu, hellaswag, winogrande \(got "gsm8k"\)/);
    const format = await runCli(["eval", "--model", "m.gguf", "--task", "t.jsonl", "--format", "arc"]);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/--format must be one of mmlu, hellaswag, winogrande \(got "arc"\)/);
  });
});
