import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PlanTextError, chineseNumeral, parsePlanText } from '../scripts/parse-plan-text.ts';
import { toSimplified } from '../scripts/to-simplified.ts';
import { plan2019 } from '../src/index.ts';

const seed = readFileSync(new URL('../source/2019-key-work-plan.zh-Hant.txt', import.meta.url), 'utf8');

describe('the committed data', () => {
  // Fails when the source or the converter changed without `pnpm run build:data`.
  it('is what the build script makes of the source today', () => {
    const parsed = parsePlanText(seed);
    expect(parsed.title).toBe(plan2019.title['zh-Hant']);
    expect(parsed.chapters.map((c) => [c.number, c.title, c.sections])).toEqual(
      plan2019.chapters.map((c) => [c.number, c.title['zh-Hant'], c.sections.map((s) => ({ number: s.number, title: s.title['zh-Hant'] }))]),
    );
    expect(parsed.items).toEqual(
      plan2019.items.map((i) => ({
        number: i.number,
        chapter: i.chapter,
        ...(i.section === undefined ? {} : { section: i.section }),
        text: i.text['zh-Hant'],
      })),
    );
    for (const item of plan2019.items) expect(item.text['zh-Hans'], item.id).toBe(toSimplified(item.text['zh-Hant']));
  });
});

describe('parsePlanText', () => {
  const plan = ['標題', '一、第一章', '1. 甲乙', '丙丁。', ' ', '12', '(一) 小節。', '2. 戊。', '二、第二章', '3. 己。'];

  it('joins broken lines, drops page numbers and finds sections', () => {
    expect(parsePlanText(plan.join('\n'))).toEqual({
      title: '標題',
      chapters: [
        { number: 1, title: '第一章', sections: [{ number: 1, title: '小節' }] },
        { number: 2, title: '第二章', sections: [] },
      ],
      items: [
        { number: 1, chapter: 1, text: '甲乙丙丁。' },
        { number: 2, chapter: 1, section: 1, text: '戊。' },
        { number: 3, chapter: 2, text: '己。' },
      ],
    });
  });

  it('stops at the signatories’ block', () => {
    const parsed = parsePlanText([...plan, '廣東省人民政府代表 香港特別行政區政府代表', '2019 年 5 月 16 日'].join('\n'));
    expect(parsed.items.at(-1)?.text).toBe('己。');
  });

  it('fails loudly on a gap in the item numbers', () => {
    const gap = plan.map((line) => line.replace('2. ', '4. ')).join('\n');
    expect(() => parsePlanText(gap)).toThrow(PlanTextError);
    expect(() => parsePlanText(gap)).toThrow(/line 8: item 4 follows item 1/);
  });

  it('fails loudly on chapters out of order and on text outside any item', () => {
    expect(() => parsePlanText(plan.join('\n').replace('二、', '三、'))).toThrow(/chapter 3 follows chapter 1/);
    expect(() => parsePlanText(['標題', '一、第一章', '無編號'].join('\n'))).toThrow(/line 3: text outside any item/);
  });

  it('reads Chinese numerals', () => {
    expect(['一', '九', '十', '十一', '二十', '二十三'].map(chineseNumeral)).toEqual([1, 9, 10, 11, 20, 23]);
    expect(() => chineseNumeral('零')).toThrow(PlanTextError);
  });
});
