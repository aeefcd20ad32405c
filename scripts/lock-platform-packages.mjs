#!/usr/bin/env node
// Records node-llama-cpp's optional per-platform packages in package-lock.json.
//
// Why: the registry mirror this project installs from serves only some of them (the Linux builds),
// so `npm install` here leaves the macOS, Windows and riscv64 entries out of the lockfile, and
// `npm ci` (npm 10 and 11) then refuses it ("Missing: @node-llama-cpp/win-x64@ from lock file").
// Each missing entry is written as npm writes one for a package of another platform: its version,
// os and cpu, marked optional. `npm ci` skips a package whose os/cpu do not match the machine, so
// nothing is fetched for them here; on a machine of that platform npm fetches it by name and version.
//
// Run after any `npm install` that changes node-llama-cpp:  node scripts/lock-platform-packages.mjs
import { readFileSync, renameSync, writeFileSync } from "node:fs";

const LOCK = "package-lock.json";
const lock = JSON.parse(readFileSync(LOCK, "utf8"));
const parent = lock.packages["node_modules/node-llama-cpp"];
if (!parent) throw new Error("node-llama-cpp is not in package-lock.json; run npm install first");

const OS = { linux: "linux", mac: "darwin", win: "win32" };
const added = [];
for (const [name, range] of Object.entries(parent.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const m = /^@node-llama-cpp\/(linux|mac|win)-(x64|arm64|armv7l|riscv64)(?:-|$)/.exec(name);
  if (!m) throw new Error(`cannot tell the platform of ${name}; add its entry by hand`);
  const entry = { version: range.replace(/^[\^~]/, ""), cpu: [m[2] === "armv7l" ? "arm" : m[2]] };
  if (m[1] === "linux") entry.libc = ["glibc"];
  Object.assign(entry, { license: "MIT", optional: true, os: [OS[m[1]]], engines: { node: ">=20.0.0" } });
  lock.packages[key] = entry;
  added.push(name);
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)));
writeFileSync(`${LOCK}.tmp`, JSON.stringify(lock, null, 2) + "\n");
renameSync(`${LOCK}.tmp`, LOCK);
console.log(added.length ? `recorded: ${added.join(", ")}` : "nothing missing");
