import type { PowerFormat } from "../types.js";
import { codecarbon } from "./codecarbon.js";
import { fnirsi } from "./fnirsi.js";
import { jtopCsv } from "./jtop-csv.js";
import { nvidiaSmi } from "./nvidia-smi.js";
import type { PowerFormatSpec } from "./parser.js";
import { pmic } from "./pmic.js";
import { rapl } from "./rapl.js";
import { tegrastats } from "./tegrastats.js";
import { usbCsv } from "./usb-csv.js";

/** Every power format slm-energy reads, by id. */
export const POWER_FORMAT_SPECS: Record<PowerFormat, PowerFormatSpec> = {
  tegrastats,
  "jtop-csv": jtopCsv,
  pmic,
  fnirsi,
  "usb-csv": usbCsv,
  "nvidia-smi": nvidiaSmi,
  rapl,
  codecarbon,
};
