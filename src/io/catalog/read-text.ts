import { isSlmError, notFoundError } from "../../errors.js";
import { readTextFile } from "../files.js";

/** Reads a catalog file of the project; a missing one says where the project root should be. */
export function readCatalogText(file: string, what: string): string {
  try {
    return readTextFile(file, what);
  } catch (e) {
    if (isSlmError(e) && e.code === "E_NOT_FOUND") {
      throw notFoundError(`${what} not found`, {
        file,
        cause: e,
        hint: "run from the project root or set SLM_ENERGY_ROOT",
      });
    }
    throw e;
  }
}
