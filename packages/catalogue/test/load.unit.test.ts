import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CatalogueError, loadPlan, parsePlanJson, plan2019 } from '../src/index.ts';

const json = readFileSync(new URL('../data/plan-2019.json', import.meta.url), 'utf8');

/** A mutable deep copy of the 2019 plan to break. */
function planCopy(): { [key: string]: unknown; items: Record<string, unknown>[] } {
  return JSON.parse(json) as { [key: string]: unknown; items: Record<string, unknown>[] };
}

function failure(input: unknown): CatalogueError {
  try {
    loadPlan(input);
  } catch (error) {
    if (error instanceof CatalogueError) return error;
    throw error;
  }
  throw new Error('loadPlan accepted the input');
}

function textOf(item: Record<string, unknown> | undefined): Record<string, unknown> {
  return (item?.text ?? {}) as Record<string, unknown>;
}

describe('loadPlan', () => {
  it('accepts the committed 2019 plan', () => {
    expect(loadPlan(JSON.parse(json))).toEqual(plan2019);
    expect(parsePlanJson(json).items).toHaveLength(74);
  });

  it('names the item and the field when an English text is missing', () => {
    const plan = planCopy();
    delete textOf(plan.items[3]).en;
    const error = failure(plan);
    expect(error.code).toBe('GDHK_CATALOGUE_INVALID');
    expect(error.issues).toEqual([
      { path: 'items[3].text.en', itemId: '2019-04', message: expect.stringContaining('expected string') },
    ]);
    expect(error.message).toContain('items[3].text.en (item 2019-04)');
  });

  it('rejects blank and padded text', () => {
    const plan = planCopy();
    textOf(plan.items[0])['zh-Hans'] = '   ';
    textOf(plan.items[1])['zh-Hant'] = ' 開展 ';
    expect(failure(plan).issues.map((i) => i.path)).toEqual(['items[0].text.zh-Hans', 'items[1].text.zh-Hant']);
  });

  it('rejects a malformed id and names it by index when there is no id to show', () => {
    const plan = planCopy();
    plan.items[2] = { ...plan.items[2], id: '2019-3' };
    delete plan.items[5]?.id;
    const error = failure(plan);
    expect(error.issues.map((i) => [i.path, i.itemId])).toEqual([
      ['items[2].id', '2019-3'],
      ['items[5].id', undefined],
    ]);
    expect(error.message).toMatch(/items\[5\]\.id: /);
  });

  it('rejects an id that does not match the plan year and item number', () => {
    const plan = planCopy();
    plan.items[10] = { ...plan.items[10], id: '2020-11' };
    expect(failure(plan).message).toContain('items[10].id (item 2020-11): must be "2019-11"');
  });

  it('rejects duplicate ids and gaps in the numbering', () => {
    const plan = planCopy();
    plan.items.splice(7, 1);
    const messages = failure(plan).issues.map((i) => `${i.path} ${i.message}`);
    expect(messages[0]).toMatch(/^items\[7\]\.number item numbers must run 1, 2, 3 … without gaps: expected 8, got 9/);

    const dup = planCopy();
    dup.items[1] = { ...dup.items[0] };
    expect(failure(dup).issues.map((i) => i.path)).toContain('items[1].id');
    expect(failure(dup).message).toContain('duplicate id "2019-01" (first used by items[0])');
  });

  it('rejects an item whose chapter does not exist', () => {
    const plan = planCopy();
    plan.items[73] = { ...plan.items[73], chapter: 10 };
    expect(failure(plan).message).toContain('items[73].chapter (item 2019-74): chapter 10 does not exist');
  });

  it('rejects a section that its chapter does not have', () => {
    const plan = planCopy();
    plan.items[0] = { ...plan.items[0], section: 1 };
    plan.items[20] = { ...plan.items[20], section: 7 };
    const messages = failure(plan).issues.map((i) => `${i.path} ${i.message}`);
    expect(messages).toEqual([
      'items[0].section section 1 does not exist in chapter 1 (it has no sections)',
      'items[20].section section 7 does not exist in chapter 3 (it has sections 1–4)',
    ]);
  });

  it('rejects items out of chapter order and empty chapters', () => {
    const plan = planCopy();
    plan.items[73] = { ...plan.items[73], chapter: 1 };
    const messages = failure(plan).issues.map((i) => `${i.path} ${i.message}`);
    expect(messages).toContain('items[73].chapter items must follow chapter order: chapter 1 after an item of chapter 8');
    expect(messages).toContain('chapters[8] chapter 9 has no items');
  });

  it('rejects unknown fields, so a misspelt locale cannot slip through', () => {
    const plan = planCopy();
    textOf(plan.items[0])['zh-hant'] = '完善';
    expect(failure(plan).issues).toEqual([
      { path: 'items[0].text', itemId: '2019-01', message: expect.stringContaining('zh-hant') },
    ]);
  });

  it('names the document itself when it is not a plan at all', () => {
    expect(failure(null).issues).toEqual([{ path: '(root)', message: expect.stringContaining('expected object') }]);
    expect(failure([]).issues[0]?.path).toBe('(root)');
  });

  it('lists every issue but keeps the message short', () => {
    const plan = planCopy();
    for (const item of plan.items) delete textOf(item).en;
    const error = failure(plan);
    expect(error.issues).toHaveLength(74);
    expect(error.message.split('\n')).toHaveLength(1 + 10 + 1);
    expect(error.message).toContain('… and 64 more');
  });

  it('names the source when given one', () => {
    expect(() => loadPlan({}, { source: 'plan-2020.json' })).toThrow(/^Invalid plan in plan-2020\.json: /);
  });
});

describe('parsePlanJson', () => {
  it('reports bad JSON with its own code', () => {
    let error: unknown;
    try {
      parsePlanJson('{"year": 2019,', { source: 'plan-2020.json' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CatalogueError);
    expect((error as CatalogueError).code).toBe('GDHK_CATALOGUE_MALFORMED_JSON');
    expect((error as CatalogueError).message).toMatch(/^Plan in plan-2020\.json is not valid JSON\n {2}- \(root\): /);
  });

  it('validates what it parsed', () => {
    expect(() => parsePlanJson('{"year": 2019}')).toThrow(CatalogueError);
  });
});
