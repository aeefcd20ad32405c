#!/usr/bin/env node
// A fake llama-cli for tests: replays a real llama.cpp log whose lines carry llama.cpp's own
// "M.SS.mmm.uuu" stamps (time since the program started), each stamped line on stderr when its
// stamp comes round, the others (generated text) on stdout after the line before them.
import { readFileSync } from "node:fs";

const STAMP = /^(\d+)\.(\d{2})\.(\d{3})\.(\d{3}) /;
const lines = readFileSync(process.argv[2], "utf8").split("\n");
if (lines[lines.length - 1] === "") lines.pop();
const t0 = performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

for (const line of lines) {
  const m = STAMP.exec(line);
  if (!m) {
    process.stdout.write(line + "\n");
    continue;
  }
  const atMs = Number(m[1]) * 60_000 + Number(m[2]) * 1000 + Number(m[3]) + Number(m[4]) / 1000;
  const wait = atMs - (performance.now() - t0);
  if (wait > 0) await sleep(wait);
  process.stderr.write(line + "\n");
}
