// Parses the plain-text plan (as extracted from the signed PDF) into its title, chapters,
// sections and items, all in the source's Traditional Chinese.

export interface ParsedSection {
  readonly number: number;
  readonly title: string;
}

export interface ParsedChapter {
  readonly number: number;
  readonly title: string;
  readonly sections: ParsedSection[];
}

export interface ParsedItem {
  readonly number: number;
  readonly chapter: number;
  readonly section?: number;
  readonly text: string;
}

export interface ParsedPlan {
  readonly title: string;
  readonly chapters: ParsedChapter[];
  readonly items: ParsedItem[];
}

export class PlanTextError extends Error {
  override readonly name = 'PlanTextError';
}

const CHAPTER_HEADING = /^([一二三四五六七八九十]+)、\s*(\S.*)$/;
// The extraction mixes full-width and ASCII brackets: （一）金融業合作。 but (二) 專業服務。
const SECTION_HEADING = /^[（(]([一二三四五六七八九十]+)[）)]\s*(\S.*?)。?$/;
const ITEM_START = /^(\d+)\.\s*(\S.*)$/;
// Page furniture: bare page numbers, optionally dashed or as 第 n 頁.
const PAGE_NUMBER = /^(?:[-–—]\s*\d+\s*[-–—]|\d+|第\s*\d+\s*頁)$/;
// The signatories' block after the last item ends the plan's text.
const SIGNATURE_BLOCK = /^廣東省人民政府代表/;

export function chineseNumeral(text: string): number {
  const digits = '一二三四五六七八九';
  const digit = (ch: string | undefined): number => (ch === undefined ? 0 : digits.indexOf(ch) + 1);
  const ten = text.indexOf('十');
  const value =
    ten === -1 ? (text.length === 1 ? digit(text) : 0) : (ten === 0 ? 1 : digit(text[0])) * 10 + digit(text[ten + 1]);
  if (value === 0 || text.length > 3) throw new PlanTextError(`not a Chinese numeral from 1 to 99: "${text}"`);
  return value;
}

/**
 * Lines broken mid-sentence are joined with nothing between them (the text is Chinese);
 * leading and trailing spaces, blank lines and page numbers are dropped; every other
 * character is kept, including spaces inside a line such as "CEPA 框架".
 */
export function parsePlanText(source: string): ParsedPlan {
  const lines = source
    .split(/\r?\n/)
    .map((line, index) => ({ text: line.trim(), lineNumber: index + 1 }))
    .filter((line) => line.text !== '' && !PAGE_NUMBER.test(line.text));

  const titleParts: string[] = [];
  const chapters: ParsedChapter[] = [];
  const items: { number: number; chapter: number; section?: number; parts: string[] }[] = [];
  let chapter: ParsedChapter | undefined;
  let section: ParsedSection | undefined;
  let item: (typeof items)[number] | undefined;

  for (const { text, lineNumber } of lines) {
    if (SIGNATURE_BLOCK.test(text)) break;
    const at = `line ${lineNumber}`;

    const chapterMatch = CHAPTER_HEADING.exec(text);
    if (chapterMatch !== null) {
      const number = chineseNumeral(chapterMatch[1] ?? '');
      if (number !== chapters.length + 1) {
        throw new PlanTextError(`${at}: chapter ${number} follows chapter ${chapters.length}: "${text}"`);
      }
      chapter = { number, title: chapterMatch[2] ?? '', sections: [] };
      chapters.push(chapter);
      section = undefined;
      item = undefined;
      continue;
    }

    const sectionMatch = SECTION_HEADING.exec(text);
    if (sectionMatch !== null) {
      if (chapter === undefined) throw new PlanTextError(`${at}: section heading before any chapter: "${text}"`);
      const number = chineseNumeral(sectionMatch[1] ?? '');
      if (number !== chapter.sections.length + 1) {
        throw new PlanTextError(`${at}: section ${number} follows section ${chapter.sections.length} in chapter ${chapter.number}: "${text}"`);
      }
      section = { number, title: sectionMatch[2] ?? '' };
      chapter.sections.push(section);
      item = undefined;
      continue;
    }

    const itemMatch = ITEM_START.exec(text);
    if (itemMatch !== null) {
      if (chapter === undefined) throw new PlanTextError(`${at}: item before any chapter: "${text}"`);
      const number = Number(itemMatch[1]);
      if (number !== items.length + 1) {
        throw new PlanTextError(`${at}: item ${number} follows item ${items.length}; items must run 1, 2, 3 … without gaps`);
      }
      item = { number, chapter: chapter.number, parts: [itemMatch[2] ?? ''] };
      if (section !== undefined) item.section = section.number;
      items.push(item);
      continue;
    }

    if (item !== undefined) item.parts.push(text);
    else if (chapter === undefined) titleParts.push(text);
    else throw new PlanTextError(`${at}: text outside any item: "${text}"`);
  }

  if (titleParts.length === 0) throw new PlanTextError('no title before the first chapter');
  return {
    title: titleParts.join(''),
    chapters,
    items: items.map(({ parts, ...rest }) => ({ ...rest, text: parts.join('') })),
  };
}
