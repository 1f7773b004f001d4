import data from '../data/plan-2019.json' with { type: 'json' };
import { CatalogueError, loadPlan } from './load.ts';
import type { Locale } from './locale.ts';
import type { Chapter, Item, LocalizedItem, Plan, Section } from './schema.ts';

export {
  ChapterSchema,
  ItemIdSchema,
  ItemSchema,
  LocalizedItemSchema,
  LocalizedTextSchema,
  PlanSchema,
  SectionSchema,
  itemIdOf,
} from './schema.ts';
export type { Chapter, Item, LocalizedItem, LocalizedText, Plan, Section } from './schema.ts';
export { CatalogueError, loadPlan, parsePlanJson } from './load.ts';
export type { CatalogueErrorCode, CatalogueIssue, LoadOptions } from './load.ts';
export { DEFAULT_LOCALE, LOCALES, LocaleSchema, isLocale, localeOfTag, negotiateLocale } from './locale.ts';
export type { Locale } from './locale.ts';
export { VALUE_LABELS, labelOf } from './labels.ts';

/** Lookups over one validated plan. */
export class Catalogue {
  readonly plan: Plan;
  readonly #items: ReadonlyMap<string, Item>;
  readonly #chapters: ReadonlyMap<number, Chapter>;

  constructor(plan: Plan) {
    this.plan = plan;
    this.#items = new Map(plan.items.map((item) => [item.id, item]));
    this.#chapters = new Map(plan.chapters.map((chapter) => [chapter.number, chapter]));
  }

  get year(): number {
    return this.plan.year;
  }

  has(id: string): boolean {
    return this.#items.has(id);
  }

  item(id: string): Item | undefined {
    return this.#items.get(id);
  }

  /** In plan order; narrowed to a chapter, and to one of its sections, when asked. */
  items(filter: { chapter?: number; section?: number } = {}): readonly Item[] {
    const { chapter, section } = filter;
    if (chapter === undefined && section === undefined) return this.plan.items;
    return this.plan.items.filter(
      (item) => (chapter === undefined || item.chapter === chapter) && (section === undefined || item.section === section),
    );
  }

  chapter(number: number): Chapter | undefined {
    return this.#chapters.get(number);
  }

  chapters(): readonly Chapter[] {
    return this.plan.chapters;
  }

  section(chapter: number, number: number): Section | undefined {
    return this.chapter(chapter)?.sections.find((section) => section.number === number);
  }

  /** The item in one locale, with its chapter's and section's titles in that locale. */
  localized(id: string, locale: Locale): LocalizedItem | undefined {
    const item = this.item(id);
    if (item === undefined) return undefined;
    const chapter = this.chapter(item.chapter);
    const section = item.section === undefined ? undefined : this.section(item.chapter, item.section);
    // Only a plan that bypassed loadPlan can get here.
    if (chapter === undefined || (item.section !== undefined && section === undefined)) {
      throw new CatalogueError('GDHK_CATALOGUE_INVALID', 'Invalid plan: 1 problem', [
        { path: 'items', itemId: id, message: 'chapter or section missing from the plan' },
      ]);
    }
    return {
      id: item.id,
      number: item.number,
      chapter: { number: chapter.number, title: chapter.title[locale] },
      ...(section === undefined ? {} : { section: { number: section.number, title: section.title[locale] } }),
      text: item.text[locale],
    };
  }
}

/** The 2019 key-work plan: 74 items in 9 chapters, validated on load. */
export const plan2019: Plan = loadPlan(data, { source: 'data/plan-2019.json' });

export const catalogue2019 = new Catalogue(plan2019);
