/** Jupyter notebooks: the stored form and nbconvert's reports, display helpers, typed danfojs. */
export * from "./nbformat.js";
export * from "./display.js";
export { dataFrame, type DataFrame, type DanfoModule } from "./danfo.js";
