import fc from 'fast-check';
import { test } from 'vitest';
import { foldSide, joint } from '../src/index.ts';
import { ITEM } from './fixtures.ts';
import { runScenario, scenarios } from './simulation.ts';
test('stats', () => {
  const hs = fc.sample(scenarios, { numRuns: 1000, seed: 20_190_301 }).map((s) => runScenario(s));
  let ev = 0; const rej: Record<string, number> = {}; const st: Record<string, number> = {}; const ds: Record<string, number> = {};
  for (const h of hs) { ev += h.gd.length + h.hk.length; for (const r of h.rejections) rej[r] = (rej[r] ?? 0) + 1;
    const it = joint(foldSide('gd', ITEM, h.gd), foldSide('hk', ITEM, h.hk)); st[it.status] = (st[it.status] ?? 0) + 1;
    for (const d of it.decisions) { const k = `${d.kind}:${d.state}`; ds[k] = (ds[k] ?? 0) + 1; } }
  console.log(fc.sample(scenarios, { numRuns: 1000, seed: 1 }).reduce((a, s) => a + s.steps.length, 0) / 1000, ev / 1000, rej, st, ds);
});
