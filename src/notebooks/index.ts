/** Jupyter notebooks: headless execution with the tslab kernel, and display helpers. */
export * from "./runner.js";
export * from "./display.js";
