/** Carbon: the CO2-equivalent mass of the electricity a run used, at a grid's carbon intensity. */

/** Watt-hours in a kilowatt-hour. */
export const WH_PER_KWH = 1000;

/** Grams of CO2e of `energyWh` at `intensityGCo2ePerKwh` (gCO2e/kWh): energyWh / 1000 × intensity. */
export const co2eG = (energyWh: number, intensityGCo2ePerKwh: number): number =>
  (energyWh / WH_PER_KWH) * intensityGCo2ePerKwh;
