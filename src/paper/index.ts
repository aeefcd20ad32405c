/** The paper's published tables as validated data. */
export * from "./types.js";
export * from "./printed-number.js";
export * from "./cells.js";
export * from "./inferences.js";
