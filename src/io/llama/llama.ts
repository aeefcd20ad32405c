/**
 * node-llama-cpp at the edge: the package is ESM with top-level await, so it is loaded only here,
 * by dynamic `import()`, when a model is opened — importing `slm-energy` never loads it. One CPU
 * binding per process, and one way to load a GGUF model with an input error when llama.cpp
 * refuses it.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { SlmError } from "../../errors.js";

export type NodeLlamaCpp = typeof import("node-llama-cpp");

/** node-llama-cpp's module, or an environment error saying how to install it. */
export async function loadNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  try {
    return await import("node-llama-cpp");
  } catch (e) {
    throw new SlmError("E_ENV", `cannot load node-llama-cpp: ${(e as Error).message}`, {
      cause: e,
      hint: "run `npm ci` in the project (scripts/setup.sh does it)",
    });
  }
}

let llamaInstance: Promise<import("node-llama-cpp").Llama> | null = null;

/**
 * The process's one CPU llama.cpp binding. node-llama-cpp registers exit hooks per instance, so a
 * sweep opening many models shares one instead of creating one per model.
 */
export function cpuLlama(nlc: NodeLlamaCpp): Promise<import("node-llama-cpp").Llama> {
  llamaInstance ??= nlc.getLlama({
    gpu: false,
    build: "never",
    logLevel: nlc.LlamaLogLevel.error,
    progressLogs: false,
  });
  return llamaInstance;
}

/** Load a GGUF model, or an input error naming the file when llama.cpp refuses it. */
export async function loadLlamaModel(
  llama: import("node-llama-cpp").Llama,
  modelPath: string,
): Promise<import("node-llama-cpp").LlamaModel> {
  try {
    return await llama.loadModel({ modelPath });
  } catch (e) {
    throw new SlmError("E_INPUT", `llama.cpp could not load the model: ${(e as Error).message}`, {
      file: modelPath,
      cause: e,
      hint:
        "check that the file is a complete GGUF model of an architecture llama.cpp supports " +
        "(`slm-energy gguf info FILE`)",
    });
  }
}

/** The installed node-llama-cpp version, read from its package.json ("unknown" if not found). */
export function nodeLlamaCppVersion(): string {
  try {
    // The package's `exports` hide package.json: find it above the resolved entry point.
    let dir = dirname(createRequire(import.meta.url).resolve("node-llama-cpp"));
    for (let i = 0; i < 5; i++, dir = dirname(dir)) {
      const file = join(dir, "package.json");
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "node-llama-cpp") return pkg.version ?? "unknown";
    }
  } catch {
    // fall through
  }
  return "unknown";
}
