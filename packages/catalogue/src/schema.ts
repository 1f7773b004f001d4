import { z } from 'zod';

/** Non-empty text with no whitespace at either end: stray padding is a data error, not style. */
const TextSchema = z
  .string()
  .regex(/^\S(?:[\s\S]*\S)?$/, 'must be non-empty text without leading or trailing whitespace');

// Keys are spelled out rather than mapped from LOCALES so the inferred type reads plainly;
// the unit tests check the two agree.
export const LocalizedTextSchema = z
  .strictObject({
    'zh-Hant': TextSchema.describe('Verbatim from the plan (Traditional Chinese).'),
    'zh-Hans': TextSchema.describe('Converted from zh-Hant with OpenCC (Simplified Chinese).'),
    en: TextSchema.describe('English translation.'),
  })
  .readonly();

export const ItemIdSchema = z
  .string()
  .regex(/^\d{4}-\d{2}$/, 'must look like "2019-03" (plan year, two-digit item number)');

const OrdinalSchema = z.int().min(1);

export const SectionSchema = z
  .strictObject({
    number: OrdinalSchema.describe('1, 2, 3 … within its chapter, in plan order.'),
    title: LocalizedTextSchema,
  })
  .readonly();

export const ChapterSchema = z
  .strictObject({
    number: OrdinalSchema.describe('1, 2, 3 … in plan order.'),
    title: LocalizedTextSchema,
    sections: z.array(SectionSchema).readonly(),
  })
  .readonly();

export const ItemSchema = z
  .strictObject({
    id: ItemIdSchema,
    number: OrdinalSchema.describe('1, 2, 3 … through the whole plan.'),
    chapter: OrdinalSchema.describe('Number of the chapter the item is in.'),
    section: OrdinalSchema.optional().describe('Number of the sub-section within the chapter, where the plan has one.'),
    text: LocalizedTextSchema,
  })
  .readonly();

export function itemIdOf(year: number, number: number): string {
  return `${year}-${String(number).padStart(2, '0')}`;
}

type PlanShape = z.output<typeof PlanShapeSchema>;

const PlanShapeSchema = z.strictObject({
  year: z.int().min(1000).max(9999),
  title: LocalizedTextSchema,
  chapters: z.array(ChapterSchema).min(1).readonly(),
  items: z.array(ItemSchema).min(1).readonly(),
});

// Plan-wide rules a single item cannot check. Each issue points at the offending field so
// that loadPlan can name it.
function checkPlanInvariants(plan: PlanShape, ctx: z.RefinementCtx): void {
  const fail = (path: (string | number)[], message: string): void => {
    ctx.addIssue({ code: 'custom', path, message });
  };

  plan.chapters.forEach((chapter, c) => {
    if (chapter.number !== c + 1) {
      fail(['chapters', c, 'number'], `chapters must be numbered 1, 2, 3 … in order: expected ${c + 1}, got ${chapter.number}`);
    }
    chapter.sections.forEach((section, s) => {
      if (section.number !== s + 1) {
        fail(['chapters', c, 'sections', s, 'number'], `sections of chapter ${chapter.number} must be numbered 1, 2, 3 … in order: expected ${s + 1}, got ${section.number}`);
      }
    });
  });

  const chapters = new Map(plan.chapters.map((chapter) => [chapter.number, chapter]));
  const firstIndexOfId = new Map<string, number>();
  const used = new Set<string>();
  let previous: { chapter: number; section: number } = { chapter: 0, section: 0 };

  plan.items.forEach((item, i) => {
    if (item.number !== i + 1) {
      fail(['items', i, 'number'], `item numbers must run 1, 2, 3 … without gaps: expected ${i + 1}, got ${item.number}`);
    }
    const expectedId = itemIdOf(plan.year, item.number);
    if (item.id !== expectedId) {
      fail(['items', i, 'id'], `must be "${expectedId}" (plan year ${plan.year}, item number ${item.number}), got "${item.id}"`);
    }
    const seenAt = firstIndexOfId.get(item.id);
    if (seenAt === undefined) firstIndexOfId.set(item.id, i);
    else fail(['items', i, 'id'], `duplicate id "${item.id}" (first used by items[${seenAt}])`);

    const chapter = chapters.get(item.chapter);
    if (chapter === undefined) {
      fail(['items', i, 'chapter'], `chapter ${item.chapter} does not exist (the plan has chapters 1–${plan.chapters.length})`);
      return;
    }
    if (item.section !== undefined && !chapter.sections.some((s) => s.number === item.section)) {
      const known = chapter.sections.length === 0 ? 'it has no sections' : `it has sections 1–${chapter.sections.length}`;
      fail(['items', i, 'section'], `section ${item.section} does not exist in chapter ${item.chapter} (${known})`);
      return;
    }
    // Items are numbered in document order, so chapters and their sections only move forward.
    const position = { chapter: item.chapter, section: item.section ?? 0 };
    if (position.chapter < previous.chapter) {
      fail(['items', i, 'chapter'], `items must follow chapter order: chapter ${position.chapter} after an item of chapter ${previous.chapter}`);
    } else if (position.chapter === previous.chapter && position.section < previous.section) {
      fail(['items', i, 'section'], `items must follow section order within chapter ${position.chapter}: ${item.section === undefined ? 'no section' : `section ${position.section}`} after section ${previous.section}`);
    }
    previous = position;
    used.add(`${item.chapter}`);
    if (item.section !== undefined) used.add(`${item.chapter}.${item.section}`);
  });

  plan.chapters.forEach((chapter, c) => {
    if (!used.has(`${chapter.number}`)) fail(['chapters', c], `chapter ${chapter.number} has no items`);
    chapter.sections.forEach((section, s) => {
      if (!used.has(`${chapter.number}.${section.number}`)) {
        fail(['chapters', c, 'sections', s], `section ${section.number} of chapter ${chapter.number} has no items`);
      }
    });
  });
}

export const PlanSchema = PlanShapeSchema.superRefine(checkPlanInvariants).readonly();

export type LocalizedText = z.infer<typeof LocalizedTextSchema>;
export type Section = z.infer<typeof SectionSchema>;
export type Chapter = z.infer<typeof ChapterSchema>;
export type Item = z.infer<typeof ItemSchema>;
export type Plan = z.infer<typeof PlanSchema>;

/** One item in one locale, with its chapter and section titles resolved: what an API serves. */
export const LocalizedItemSchema = z
  .strictObject({
    id: ItemIdSchema,
    number: OrdinalSchema,
    chapter: z.strictObject({ number: OrdinalSchema, title: z.string() }),
    section: z.strictObject({ number: OrdinalSchema, title: z.string() }).optional(),
    text: z.string(),
  })
  .readonly();

export type LocalizedItem = z.infer<typeof LocalizedItemSchema>;
