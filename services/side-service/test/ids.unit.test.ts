import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { uuidV7Source } from '../src/ids.ts';

const v7 = z.uuid({ version: 'v7' });

describe('uuidV7Source', () => {
  it('mints RFC 9562 version 7 ids carrying the clock', () => {
    const next = uuidV7Source(() => Date.UTC(2025, 5, 1, 12));
    const id = next();
    expect(v7.safeParse(id).success).toBe(true);
    expect(parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBe(Date.UTC(2025, 5, 1, 12));
  });

  it('ids of one process sort in minting order, within a millisecond and when the clock steps back', () => {
    let now = 1_700_000_000_000;
    const next = uuidV7Source(() => now);
    const ids: string[] = [];
    for (let i = 0; i < 3000; i += 1) {
      if (i === 1000) now += 1;
      if (i === 2000) now -= 5;
      ids.push(next());
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => v7.safeParse(id).success)).toBe(true);
  });
});
