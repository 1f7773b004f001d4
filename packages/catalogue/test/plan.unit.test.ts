import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { LOCALES, catalogue2019, plan2019 } from '../src/index.ts';
import type { Item, Locale, LocalizedText } from '../src/index.ts';

const seed = readFileSync(new URL('../source/2019-key-work-plan.zh-Hant.txt', import.meta.url), 'utf8');

const squash = (text: string): string => text.replace(/\s+/g, '');
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const numbersOf = (items: readonly Item[]): number[] => items.map((item) => item.number);
const item = (id: string): Item => {
  const found = catalogue2019.item(id);
  if (found === undefined) throw new Error(`no item ${id}`);
  return found;
};

describe('the 2019 plan', () => {
  it('has 74 items, 2019-01 … 2019-74, in 9 chapters', () => {
    expect(plan2019.year).toBe(2019);
    expect(plan2019.items).toHaveLength(74);
    expect(plan2019.items.map((i) => i.id)).toEqual(range(1, 74).map((n) => `2019-${String(n).padStart(2, '0')}`));
    expect(plan2019.chapters.map((c) => c.number)).toEqual(range(1, 9));
  });

  it.each([
    [1, 1, 7, '跨界基礎設施建設及通關便利化'],
    [2, 8, 17, '共建國際科技創新中心'],
    [3, 18, 41, '促進現代服務業合作'],
    [4, 42, 47, '推進教育、人才和青年交流合作'],
    [5, 48, 49, '打造國際化營商環境'],
    [6, 50, 66, '共建優質生活圈'],
    [7, 67, 68, '攜手參與「一帶一路」建設'],
    [8, 69, 73, '推進重點合作平台建設'],
    [9, 74, 74, '機制安排'],
  ])('chapter %i runs from item %i to item %i: %s', (chapter, first, last, title) => {
    expect(numbersOf(catalogue2019.items({ chapter }))).toEqual(range(first, last));
    expect(catalogue2019.chapter(chapter)?.title['zh-Hant']).toBe(title);
  });

  it('has sections only in chapter 3', () => {
    expect(plan2019.chapters.filter((c) => c.sections.length > 0).map((c) => c.number)).toEqual([3]);
    expect(plan2019.items.filter((i) => i.section !== undefined).every((i) => i.chapter === 3)).toBe(true);
  });

  it.each([
    [1, 20, 28, '金融業合作'],
    [2, 29, 36, '專業服務'],
    [3, 37, 38, '文化交流合作'],
    [4, 39, 41, '旅遊服務'],
  ])('chapter 3 section %i runs from item %i to item %i: %s', (section, first, last, title) => {
    expect(numbersOf(catalogue2019.items({ chapter: 3, section }))).toEqual(range(first, last));
    expect(catalogue2019.section(3, section)?.title['zh-Hant']).toBe(title);
  });

  it('leaves the two items before chapter 3’s first section without a section', () => {
    expect(item('2019-18').section).toBeUndefined();
    expect(item('2019-19').section).toBeUndefined();
    expect(item('2019-20').section).toBe(1);
  });

  it('carries the title in three forms', () => {
    expect(plan2019.title['zh-Hant']).toBe('實施《粵港合作框架協議》2019 年重點工作');
    expect(plan2019.title['zh-Hans']).toBe('实施《粤港合作框架协议》2019 年重点工作');
    expect(plan2019.title.en).toContain('Framework Agreement on Hong Kong/Guangdong Co-operation');
  });

  it('has exactly the three locales in every text', () => {
    expectTypeOf<keyof LocalizedText>().toEqualTypeOf<Locale>();
    const texts = [
      plan2019.title,
      ...plan2019.chapters.flatMap((c) => [c.title, ...c.sections.map((s) => s.title)]),
      ...plan2019.items.map((i) => i.text),
    ];
    for (const text of texts) expect(Object.keys(text).sort()).toEqual([...LOCALES].sort());
  });
});

describe('zh-Hant text', () => {
  it('keeps every character of the source: the plan rebuilt from the data is the seed, whitespace aside', () => {
    // A different route from the build script's parser: squash all whitespace out of the seed
    // (and any bare page-number lines), then walk it, consuming title, headings, "n." markers and
    // item texts taken from the data. Nothing may be left over or out of place.
    const numerals = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];
    const body = squash(
      seed
        .split('\n')
        .filter((line) => !/^\s*\d+\s*$/.test(line))
        .join('\n'),
    ).replace(/\(/g, '（').replace(/\)/g, '）');

    let expected = squash(plan2019.title['zh-Hant']);
    let chapter = 0;
    let section = 0;
    for (const it of plan2019.items) {
      if (it.chapter !== chapter) {
        chapter = it.chapter;
        section = 0;
        expected += `${numerals[chapter - 1]}、${catalogue2019.chapter(chapter)?.title['zh-Hant']}`;
      }
      if (it.section !== undefined && it.section !== section) {
        section = it.section;
        expected += `（${numerals[section - 1]}）${catalogue2019.section(chapter, section)?.title['zh-Hant']}。`;
      }
      expected += `${it.number}.${squash(it.text['zh-Hant'])}`;
    }
    expect(body.startsWith(squash(expected))).toBe(true);
    // After the last item only the signatories' block follows.
    expect(body.slice(squash(expected).length)).toMatch(/^廣東省人民政府代表香港特別行政區政府代表/);
  });

  it('finds each item’s text, whitespace removed, in the whitespace-free seed', () => {
    const body = squash(seed);
    for (const it of plan2019.items) expect(body, it.id).toContain(squash(it.text['zh-Hant']));
  });

  it.each([
    ['2019-01', '完善港珠澳大橋、廣深港高鐵的運營管理和機制安排。'],
    [
      '2019-09',
      '加快推進國家科學數據中心、國家生物種質資源庫以及國家野外科學觀測研究站等國家科技創新基地建設。支持兩地高校和科研機構申報科技創新重大項目。',
    ],
    ['2019-28', '推廣電子支付在公共服務領域的應用。穩妥推進香港居民異地見證開立內地個人Ⅱ、Ⅲ類銀行結算賬戶的試點範圍。推動銀聯多幣種卡粵港互通使用，促進支付服務便利化。'],
    ['2019-33', '按照 CEPA 框架，研究放寬香港在大灣區內地城市設立診所、門診部和香港醫療專業人員在大灣區內地城市執業的限制。'],
    ['2019-74', '發揮粵港發展策略研究小組機制作用，推動兩地智庫機構、專家學者開展深入研究，舉辦研討活動。'],
  ])('%s reads verbatim, its lines joined', (id, text) => {
    expect(item(id).text['zh-Hant']).toBe(text);
  });

  it('holds no line breaks and no padding', () => {
    for (const it of plan2019.items) {
      expect(it.text['zh-Hant'], it.id).not.toMatch(/\n/);
      expect(it.text['zh-Hant'], it.id).toBe(it.text['zh-Hant'].trim());
    }
  });
});

describe('zh-Hans text', () => {
  it('is converted where the scripts differ', () => {
    expect(item('2019-06').text['zh-Hans']).toBe('推进完善广东电子口岸平台，探索「单一窗口」对接合作。');
    expect(item('2019-01').text['zh-Hans']).toContain('港珠澳大桥');
    // Mainland usage, not OpenCC's hk default (which keeps 著).
    expect(item('2019-10').text['zh-Hans']).toContain('着力发展');
    expect(catalogue2019.section(3, 1)?.title['zh-Hans']).toBe('金融业合作');
  });

  it('differs from zh-Hant in every item yet keeps its length', () => {
    for (const it of plan2019.items) {
      expect(it.text['zh-Hans'], it.id).not.toBe(it.text['zh-Hant']);
      expect(it.text['zh-Hans'].length, it.id).toBe(it.text['zh-Hant'].length);
    }
  });

  it('contains no Traditional-only characters that the plan uses often', () => {
    for (const it of plan2019.items) expect(it.text['zh-Hans'], it.id).not.toMatch(/[廣粵灣國東與區發經學業進設機關]/);
  });
});

describe('en text', () => {
  it('is present, English and a sentence for every item', () => {
    for (const it of plan2019.items) {
      expect(it.text.en.length, it.id).toBeGreaterThan(20);
      expect(it.text.en, it.id).not.toMatch(/[\u3000-\u9fff\uff00-\uffef]/);
      expect(it.text.en, it.id).toMatch(/\.$/);
    }
  });

  it.each([
    ['2019-01', 'Hong Kong–Zhuhai–Macao Bridge'],
    ['2019-01', 'Guangzhou–Shenzhen–Hong Kong Express Rail Link'],
    ['2019-02', 'Guangdong–Hong Kong–Macao Greater Bay Area'],
    ['2019-05', 'Liantang/Heung Yuen Wai Boundary Control Point'],
    ['2019-18', 'CEPA'],
    ['2019-19', 'China (Guangdong) Pilot Free Trade Zone'],
    ['2019-69', 'Qianhai'],
    ['2019-71', 'Nansha'],
    ['2019-74', 'Hong Kong/Guangdong Strategic Development Research Group'],
  ])('%s uses the official name %s', (id, name) => {
    expect(item(id).text.en).toContain(name);
  });
});

describe('Catalogue', () => {
  it('looks items up by id', () => {
    expect(catalogue2019.item('2019-03')?.number).toBe(3);
    expect(catalogue2019.has('2019-74')).toBe(true);
    expect(catalogue2019.item('2019-75')).toBeUndefined();
    expect(catalogue2019.item('2019-3')).toBeUndefined();
    expect(catalogue2019.chapter(10)).toBeUndefined();
    expect(catalogue2019.section(1, 1)).toBeUndefined();
  });

  it('gives one item in one locale with its chapter and section titles', () => {
    expect(catalogue2019.localized('2019-39', 'zh-Hans')).toEqual({
      id: '2019-39',
      number: 39,
      chapter: { number: 3, title: '促进现代服务业合作' },
      section: { number: 4, title: '旅游服务' },
      text: '联合开发「一程多站」旅游精品线路，共同开展旅游宣传推广。共同做好港珠澳大桥东人工岛旅游开发。',
    });
    expect(catalogue2019.localized('2019-01', 'en')).not.toHaveProperty('section');
    expect(catalogue2019.localized('2019-99', 'en')).toBeUndefined();
  });

  it('hands out frozen data', () => {
    expect(Object.isFrozen(plan2019)).toBe(true);
    expect(Object.isFrozen(plan2019.items)).toBe(true);
    expect(Object.isFrozen(item('2019-01').text)).toBe(true);
  });
});
