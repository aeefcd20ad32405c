import { describe, expect, it } from "vitest";
import { runCli } from "../helpers.js";

/** Every numeric option of probe, sweep, gguf and notebooks answers a bad value in the one shared style. */
describe("numeric options of probe, sweep, gguf and notebooks", () => {
  const cases: [string[], RegExp][] = [
    [["probe", "--threads", "1,x"], /--threads must be an integer ≥ 1 \(got "x"\)/],
    [["probe", "--trials", "0"], /--trials must be an integer ≥ 1 \(got "0"\)/],
    [["probe", "--sizes-mib", "-4"], /--sizes-mib must be a number > 0 \(got "-4"\)/],
    [["probe", "--spec-power-w", "lots"], /--spec-power-w must be a number > 0 \(got "lots"\)/],
    [["sweep", "--n", "2.5"], /--n must be an integer ≥ 1 \(got "2.5"\)/],
    [["sweep", "--scales", "0.1,2"], /--scales must be a number > 0 and ≤ 1 \(got "2"\)/],
    [["sweep", "--bandwidth-gbps", "0"], /--bandwidth-gbps must be a number > 0 \(got "0"\)/],
    [["gguf", "synth", "--like", "tinyllama-1.1b", "--quant", "Q8_0", "--out", "x", "--scale", "2"], /--scale must be/],
    [["gguf", "synth", "--quant", "Q8_0", "--out", "x", "--layers", "-1"], /--layers must be an integer ≥ 1/],
    [["gguf", "synth", "--like", "tinyllama-1.1b", "--quant", "Q8_0", "--out", "x", "--seed", "-3"], /--seed must/],
    [["notebooks", "--jobs", "0"], /--jobs must be an integer ≥ 1 \(got "0"\)/],
  ];
  for (const [args, message] of cases) {
    it(`${args.join(" ")} is a usage error`, async () => {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    });
  }
});
