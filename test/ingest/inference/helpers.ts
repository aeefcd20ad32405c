import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";

/** Absolute path of a fixture under test/fixtures/. */
export const fixture = (rel: string): string => fileURLToPath(new URL(`../../fixtures/${rel}`, import.meta.url));
export const fixtureText = (rel: string): string => readFileSync(fixture(rel), "utf8");
