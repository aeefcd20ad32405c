/** The cited GPU table's rows (read by io/catalog/gpus.ts from figures/data/gpus.csv). */
export { GPU_REFERENCE_CLASSES, type GpuReference, type GpuReferenceClass } from "../../io/catalog/gpus.js";
