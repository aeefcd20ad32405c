/** The paper's published tables as validated data. */
export * from "./types.js";
export * from "./printed-number.js";
export * from "./load.js";
export * from "./inferences.js";
