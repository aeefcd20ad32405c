/** Finding the headless browser that renders the figures, and the font they are drawn in, on this machine. */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { SlmError } from "../../errors.js";

/** Debian's Chromium, or $SLM_ENERGY_CHROMIUM when set. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.SLM_ENERGY_CHROMIUM || "/usr/bin/chromium";
  if (!existsSync(path)) {
    throw new SlmError("E_ENV", `Chromium not found at ${path}; figures are rendered by a real browser`, {
      hint:
        "run `bash scripts/setup.sh` (installs Debian's chromium) " + "or set SLM_ENERGY_CHROMIUM to a Chromium binary",
    });
  }
  return path;
}

/**
 * A warning when the pinned figure font is not installed (Chromium would then substitute another
 * and the figures would differ from machine to machine), or null when it is or fontconfig cannot tell.
 */
export function figureFontWarning(family: string): string | null {
  let matched: string;
  try {
    matched = execFileSync("fc-match", ["-f", "%{family}", family], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
  } catch {
    return null;
  }
  if (matched.split(",").some((f) => f.trim() === family)) return null;
  return (
    `font "${family}" is not installed (fontconfig offers "${matched}"): figures will use a substitute ` +
    "and differ from the committed ones; install it (Debian: apt-get install fonts-dejavu-core)"
  );
}
