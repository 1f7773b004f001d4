import ExcelJS from 'exceljs';

/** A table to export: localised column titles and rows of plain values. */
export interface ExportTable {
  readonly sheet: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number | boolean | null)[])[];
}

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const MEDIA_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** `format` when given, else what Accept asks for (text/csv or the XLSX media type), else CSV. */
export function exportFormatOf(format: ExportFormat | undefined, accept: string | undefined): ExportFormat {
  if (format) return format;
  if (accept?.includes('spreadsheetml')) return 'xlsx';
  return 'csv';
}

/**
 * A spreadsheet evaluates a cell that starts with = + - @ (or a tab or carriage return, which
 * some of them strip first) as a formula: such cells get a leading apostrophe (OWASP's advice).
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = typeof value === 'string' ? neutraliseFormula(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV (CRLF), UTF-8 with a byte order mark so Excel reads the Chinese text as such. */
export function toCsv(table: ExportTable): Buffer {
  const lines = [table.columns, ...table.rows].map((row) => row.map(csvCell).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** One worksheet; every text is a string cell (never a formula), the header row frozen and bold. */
export async function toXlsx(table: ExportTable): Promise<Buffer<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'GD–HK Coordination Ledger';
  workbook.title = table.sheet;
  const sheet = workbook.addWorksheet(table.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow([...table.columns]).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row.map((value) => (value === null ? '' : value)));
  sheet.columns.forEach((column) => {
    column.width = 18;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
