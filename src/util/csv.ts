// Moved to io/csv.ts (one CSV reader for the project); this re-export keeps old imports working
// until every caller has moved.
export { csvField, formatCsv, parseCsv, type CsvRecord, type CsvTable } from "../io/csv.js";
