/**
 * The panel's order exports in, our CSV exports out: the folder's public face
 * (importers take csv/ from here). The parts, by job: decode.ts (bytes → text),
 * parse.ts (records, fields, cell values), layouts.ts (the column tables),
 * import.ts (rows → orders with the per-line report), summary.ts (the report in
 * words), export.ts (our CSV out); export-links.ts adds posting links to it.
 */
export { decodeCsvBytes, type CsvEncoding } from './decode';
export { parseCsvNumber } from './parse';
export { normalizeHeader } from './layouts';
export {
  parseOrdersCsv,
  SCHEME_SOURCES,
  type SchemeSource,
  type CsvImportOptions,
  type CsvLineIssue,
  type CsvReport,
  type CsvImportResult,
} from './import';
export { importSummary, importNotes } from './summary';
export { csvCell, exportAtRiskCsv, exportCancellationsCsv } from './export';
