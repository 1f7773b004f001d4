// Builds data/plan-2019.json from the plan's text and the hand-written English.
// Run from the repository root: node packages/catalogue/scripts/build-plan.ts
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
// Not '../src/index.ts': that loads the very file this script writes.
import { loadPlan } from '../src/load.ts';
import { itemIdOf } from '../src/schema.ts';
import type { Plan } from '../src/schema.ts';
import { parsePlanText } from './parse-plan-text.ts';
import type { ParsedPlan } from './parse-plan-text.ts';
import { toSimplified } from './to-simplified.ts';

const YEAR = 2019;
// The signed plan has 74 items in 9 chapters; any other count means the parse went wrong.
const EXPECTED_ITEMS = 74;
const EXPECTED_CHAPTERS = 9;

const packageDir = new URL('../', import.meta.url);
const sourceText = new URL(`source/${YEAR}-key-work-plan.zh-Hant.txt`, packageDir);
const sourceEnglish = new URL(`source/${YEAR}-key-work-plan.en.json`, packageDir);
const output = new URL(`data/plan-${YEAR}.json`, packageDir);

const English = z.strictObject({
  title: z.string(),
  chapters: z.record(
    z.string(),
    z.strictObject({ title: z.string(), sections: z.record(z.string(), z.string()).optional() }),
  ),
  items: z.record(z.string(), z.string()),
});
type English = z.infer<typeof English>;

class BuildError extends Error {
  override readonly name = 'BuildError';
}

function checkCounts(parsed: ParsedPlan): void {
  const numbers = parsed.items.map((item) => item.number);
  const contiguous = numbers.every((n, i) => n === i + 1);
  if (parsed.items.length !== EXPECTED_ITEMS || !contiguous) {
    const found = numbers.length === 0 ? 'none' : `${numbers.length} numbered ${numbers[0]}–${numbers.at(-1)}`;
    throw new BuildError(`expected items 1–${EXPECTED_ITEMS} without gaps, parsed ${found}`);
  }
  if (parsed.chapters.length !== EXPECTED_CHAPTERS) {
    throw new BuildError(`expected ${EXPECTED_CHAPTERS} chapters, parsed ${parsed.chapters.length}`);
  }
}

function merge(parsed: ParsedPlan, english: English): Plan {
  const missing: string[] = [];
  const text = (zhHant: string, en: string | undefined, what: string) => {
    if (en === undefined || en.trim() === '') missing.push(what);
    return { 'zh-Hant': zhHant, 'zh-Hans': toSimplified(zhHant), en: en ?? '' };
  };

  const plan = {
    year: YEAR,
    title: text(parsed.title, english.title, 'title'),
    chapters: parsed.chapters.map((chapter) => {
      const en = english.chapters[String(chapter.number)];
      return {
        number: chapter.number,
        title: text(chapter.title, en?.title, `chapters.${chapter.number}.title`),
        sections: chapter.sections.map((section) => ({
          number: section.number,
          title: text(
            section.title,
            en?.sections?.[String(section.number)],
            `chapters.${chapter.number}.sections.${section.number}`,
          ),
        })),
      };
    }),
    items: parsed.items.map((item) => {
      const id = itemIdOf(YEAR, item.number);
      return {
        id,
        number: item.number,
        chapter: item.chapter,
        ...(item.section === undefined ? {} : { section: item.section }),
        text: text(item.text, english.items[id], `items.${id}`),
      };
    }),
  };

  const ids = new Set(plan.items.map((item) => item.id));
  const unknown = Object.keys(english.items).filter((id) => !ids.has(id));
  const problems = [
    ...(missing.length > 0 ? [`English text missing for ${missing.join(', ')}`] : []),
    ...(unknown.length > 0 ? [`English text for items not in the plan: ${unknown.join(', ')}`] : []),
  ];
  if (problems.length > 0) throw new BuildError(`${fileURLToPath(sourceEnglish)}: ${problems.join('; ')}`);
  return loadPlan(plan, { source: 'the built plan' });
}

async function main(): Promise<void> {
  const parsed = parsePlanText(await readFile(sourceText, 'utf8'));
  checkCounts(parsed);
  const english = English.safeParse(JSON.parse(await readFile(sourceEnglish, 'utf8')));
  if (!english.success) {
    throw new BuildError(`${fileURLToPath(sourceEnglish)}:\n${z.prettifyError(english.error)}`);
  }
  const plan = merge(parsed, english.data);
  await writeFile(output, `${JSON.stringify(plan, null, 2)}\n`);
  console.log(`wrote ${fileURLToPath(output)}: ${plan.items.length} items in ${plan.chapters.length} chapters`);
}

main().catch((error: unknown) => {
  console.error(`build-plan failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
