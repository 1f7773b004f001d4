import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { exportFormatOf, neutraliseFormula, toCsv, toXlsx } from '../src/exports.ts';

const table = { sheet: '事項', columns: ['事項', '摘要'], rows: [['2019-01', '=HYPERLINK("x")'], ['2019-02', 'plain, "quoted"\nline'], ['2019-03', null]] as const };

describe('exports', () => {
  it('CSV: UTF-8 with BOM, CRLF, RFC 4180 quoting, formulas neutralised', () => {
    const bytes = toCsv(table);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').slice(1)).toBe('事項,摘要\r\n2019-01,"\'=HYPERLINK(""x"")"\r\n2019-02,"plain, ""quoted""\nline"\r\n2019-03,\r\n');
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(neutraliseFormula(`${start}1`)).toBe(`'${start}1`);
    expect(neutraliseFormula('1-2')).toBe('1-2');
  });

  it('XLSX: one sheet, text cells, the header first', async () => {
    const workbook = new ExcelJS.Workbook();
    const bytes = await toXlsx(table);
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const sheet = workbook.getWorksheet('事項');
    expect(sheet?.rowCount).toBe(4);
    expect(sheet?.getRow(2).getCell(2).value).toBe('=HYPERLINK("x")');
    expect(sheet?.getRow(2).getCell(2).type).toBe(ExcelJS.ValueType.String);
  });

  it('format: the parameter, else Accept, else CSV', () => {
    expect(exportFormatOf('xlsx', 'text/csv')).toBe('xlsx');
    expect(exportFormatOf(undefined, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe('xlsx');
    expect(exportFormatOf(undefined, undefined)).toBe('csv');
  });
});
