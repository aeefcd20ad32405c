/** Power meters the simulator can write, by id. */
import { requestError } from "../errors.js";
import { nvidiaSmiMeter, raplMeter } from "./host.js";
import { jtopMeter } from "./jtop.js";
import { pmicMeter } from "./pmic.js";
import { tegrastatsMeter } from "./tegrastats.js";
import { METER_IDS, type MeterId, type MeterSpec } from "./types.js";
import { fnirsiMeter, usbCsvMeter } from "./usb.js";

export {
  METER_IDS,
  type MeterId,
  type MeterSpec,
  type MeterOutput,
  type MeterContext,
  type SensorModel,
} from "./types.js";

export const METERS: Record<MeterId, MeterSpec> = {
  tegrastats: tegrastatsMeter,
  jtop: jtopMeter,
  pmic: pmicMeter,
  fnirsi: fnirsiMeter,
  "usb-csv": usbCsvMeter,
  rapl: raplMeter,
  "nvidia-smi": nvidiaSmiMeter,
};

export function findMeter(id: string): MeterSpec {
  if (!(METER_IDS as readonly string[]).includes(id))
    throw requestError("meter", id, "unknown meter", `use one of ${METER_IDS.join(", ")}`);
  return METERS[id as MeterId];
}
