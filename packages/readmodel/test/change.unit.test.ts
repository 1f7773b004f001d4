import { describe, expect, it } from 'vitest';
import { CHANGE_FIELD_SEPARATOR, parseChangeMessage } from '../src/change.ts';

// The change messages the store's scripts publish (change.ts), as the view memory reads them.
describe('change messages', () => {
  const message = (...fields: string[]) => fields.join(CHANGE_FIELD_SEPARATOR);

  it('reads an applied batch with its items, views kept byte for byte', () => {
    const view = JSON.stringify({ joint: { itemId: '2019-01', text: 'line\nbreak, "quotes" and 粵港' }, integrity: 'ok' });
    expect(parseChangeMessage(message('42', 'applied', 'v1', 'b-1', '2019-01', 'in_progress||ok', view))).toEqual({
      version: 42, kind: 'applied', generation: 'v1', buildId: 'b-1', items: [{ itemId: '2019-01', index: 'in_progress||ok', view }],
    });
  });

  it('reads builds, promotions and batches beside the live generation without items', () => {
    for (const kind of ['build', 'promoted', 'applied-aside'] as const) {
      expect(parseChangeMessage(message('7', kind, 'green', 'b-2'))).toEqual({ version: 7, kind, generation: 'green', buildId: 'b-2', items: [] });
    }
  });

  it('refuses what the scripts never publish', () => {
    for (const text of ['', 'x', message('1', 'applied'), message('-1', 'applied', 'v1', 'b'), message('1', 'deleted', 'v1', 'b'), message('1', 'applied', 'v1', 'b', '2019-01', 'in_progress||ok')]) {
      expect(parseChangeMessage(text), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('cannot be split inside a view: JSON never holds the separator unescaped', () => {
    expect(JSON.stringify({ text: `a${CHANGE_FIELD_SEPARATOR}b` })).not.toContain(CHANGE_FIELD_SEPARATOR);
  });
});
