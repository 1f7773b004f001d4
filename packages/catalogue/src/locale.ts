import { z } from 'zod';

// The values are BCP 47 tags, so a negotiated locale can go straight into Content-Language.
export const LOCALES = ['zh-Hant', 'zh-Hans', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

// The plan is authored in Traditional Chinese; that text is the authoritative one.
export const DEFAULT_LOCALE: Locale = 'zh-Hant';

export const LocaleSchema = z.enum(LOCALES);

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

const HANT_REGIONS = new Set(['tw', 'hk', 'mo']);
const HANS_REGIONS = new Set(['cn', 'sg', 'my']);

/**
 * The locale a language tag asks for, or undefined when it names none of ours.
 * A script subtag decides first (zh-Hant-CN is Traditional), then the region, then the
 * language. Bare `zh`, and Cantonese (`yue`), mean Traditional: it is the plan's own script
 * and the verbatim text, so nothing is lost by choosing it.
 */
export function localeOfTag(tag: string): Locale | undefined {
  const [language, ...subtags] = tag.trim().toLowerCase().split(/[-_]/);
  if (language === 'en') return 'en';
  if (language !== 'zh' && language !== 'yue') return undefined;
  if (subtags.includes('hant')) return 'zh-Hant';
  if (subtags.includes('hans')) return 'zh-Hans';
  if (subtags.some((s) => HANS_REGIONS.has(s))) return 'zh-Hans';
  if (subtags.some((s) => HANT_REGIONS.has(s))) return 'zh-Hant';
  return 'zh-Hant';
}

// A range matches every tag it prefixes (RFC 4647 §3.3.1), so `zh;q=0` refuses both scripts
// even though a bare `zh` asked for positively means Traditional.
function localesRefusedBy(tag: string): readonly Locale[] {
  if (/^(?:zh|yue)$/i.test(tag.trim())) return ['zh-Hant', 'zh-Hans'];
  const locale = localeOfTag(tag);
  return locale === undefined ? [] : [locale];
}

interface LanguageRange {
  readonly tag: string;
  readonly q: number;
  readonly position: number;
}

const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

function parseAcceptLanguage(header: string): LanguageRange[] {
  const ranges: LanguageRange[] = [];
  header.split(',').forEach((part, position) => {
    const [rawTag = '', ...params] = part.split(';');
    const tag = rawTag.trim();
    if (tag === '' || !/^(?:\*|[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*)$/.test(tag)) return;
    let q = 1;
    for (const param of params) {
      const [name = '', value = ''] = param.split('=').map((s) => s.trim());
      if (name.toLowerCase() !== 'q') continue;
      // A malformed weight drops the range rather than guessing what it meant (RFC 9110 §12.4.2).
      if (!QVALUE.test(value)) return;
      q = Number(value);
    }
    ranges.push({ tag, q, position });
  });
  return ranges;
}

/**
 * Picks the response locale from an Accept-Language header (RFC 9110 §12.5.4): the
 * highest-weighted range we can serve wins, ties going to the earlier range; `q=0` rules a
 * locale out; `*` stands for our locales in LOCALES order. It never fails: with no usable
 * header, or nothing acceptable, the answer is DEFAULT_LOCALE.
 */
export function negotiateLocale(acceptLanguage: string | undefined): Locale {
  if (acceptLanguage === undefined) return DEFAULT_LOCALE;
  const ranges = parseAcceptLanguage(acceptLanguage);
  const refused = new Set<Locale>();
  for (const range of ranges) {
    if (range.q === 0) for (const locale of localesRefusedBy(range.tag)) refused.add(locale);
  }
  const wanted = ranges
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.position - b.position);
  for (const range of wanted) {
    if (range.tag === '*') {
      const any = LOCALES.find((l) => !refused.has(l));
      if (any !== undefined) return any;
      continue;
    }
    const locale = localeOfTag(range.tag);
    if (locale !== undefined && !refused.has(locale)) return locale;
  }
  return DEFAULT_LOCALE;
}
