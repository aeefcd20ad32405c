/** Ingesting run bundles and inspecting raw files: the stages that read the disk. */
export * from "./bundle.js";
export * from "./tables.js";
export * from "./inspect.js";
export * from "./timeline.js";
export * from "./summarize.js";
