import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCALE, LOCALES, isLocale, localeOfTag, negotiateLocale } from '../src/index.ts';

describe('negotiateLocale', () => {
  it.each([
    [undefined, 'zh-Hant'],
    ['', 'zh-Hant'],
    ['zh-Hant', 'zh-Hant'],
    ['zh-Hans', 'zh-Hans'],
    ['en', 'en'],
    ['EN-gb', 'en'],
    ['zh-TW', 'zh-Hant'],
    ['zh-HK', 'zh-Hant'],
    ['zh-MO', 'zh-Hant'],
    ['zh-CN', 'zh-Hans'],
    ['zh-SG', 'zh-Hans'],
    ['zh_CN', 'zh-Hans'],
    ['zh-Hans-HK', 'zh-Hans'],
    ['zh-Hant-CN', 'zh-Hant'],
    ['zh', 'zh-Hant'],
    ['yue', 'zh-Hant'],
    ['fr', 'zh-Hant'],
    ['*', 'zh-Hant'],
  ])('%j → %s', (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });

  it.each([
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-Hans'],
    ['en-US,en;q=0.9,zh-CN;q=0.8', 'en'],
    ['fr-FR, fr;q=0.9, en;q=0.7, zh-TW;q=0.5', 'en'],
    ['zh-TW;q=0.5, en;q=0.8', 'en'],
    ['zh-HK;q=0.8, zh-CN;q=0.8', 'zh-Hant'],
    ['zh-HK ; q=0.8 , zh-CN ; Q=0.9', 'zh-Hans'],
    ['en;q=0, *', 'zh-Hant'],
    ['zh;q=0, *;q=0.5', 'en'],
    ['zh-Hant;q=0, *', 'zh-Hans'],
    ['en;q=0', 'zh-Hant'],
    ['de, *;q=0.1', 'zh-Hant'],
    ['en;q=1.0, zh-Hans;q=1.0', 'en'],
  ])('weighs %j → %s', (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });

  it.each([
    ['en;q=2, zh-CN', 'zh-Hans'],
    ['en;q=abc, zh-CN;q=0.1', 'zh-Hans'],
    ['en;q=0.5000, zh-CN;q=0.1', 'zh-Hans'],
    [',,;;==, zh-CN', 'zh-Hans'],
    ['<script>, en', 'en'],
  ])('skips malformed ranges in %j → %s', (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });
});

describe('locale helpers', () => {
  it('lists the three locales, Traditional first and by default', () => {
    expect(LOCALES).toEqual(['zh-Hant', 'zh-Hans', 'en']);
    expect(DEFAULT_LOCALE).toBe('zh-Hant');
  });

  it('recognises only exact locale names', () => {
    expect(isLocale('zh-Hans')).toBe(true);
    expect(isLocale('zh-hans')).toBe(false);
    expect(isLocale(undefined)).toBe(false);
  });

  it('maps a single tag, or says it cannot', () => {
    expect(localeOfTag('zh-yue-HK')).toBe('zh-Hant');
    expect(localeOfTag('ja')).toBeUndefined();
  });
});
