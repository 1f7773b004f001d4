import { DOMAIN_ERROR_CODES } from '@gdhk/domain';
import { describe, expect, it } from 'vitest';
import { localizedDetail, PROBLEM_SENTENCES } from '../src/problem-sentences.ts';

describe('problem details in Chinese', () => {
  it('has a sentence for every domain error code a client can meet', () => {
    const internal = new Set(['GDHK_INVALID_INPUT', 'GDHK_EVENT_INVALID', 'GDHK_EVENT_VERSION_UNSUPPORTED', 'GDHK_EVENT_OUT_OF_ORDER']);
    expect(DOMAIN_ERROR_CODES.filter((code) => !internal.has(code) && !PROBLEM_SENTENCES[code])).toEqual([]);
  });

  it('keeps English as raised and adds the specifics to the Chinese sentence', () => {
    expect(localizedDetail('GDHK_ITEM_NOT_FOUND', 'no item 2019-99', 'en')).toBe('no item 2019-99');
    expect(localizedDetail('GDHK_ITEM_NOT_FOUND', 'no item 2019-99', 'zh-Hans')).toBe('计划中没有此事项（no item 2019-99）');
    expect(localizedDetail('GDHK_SOMETHING_NEW', 'as raised', 'zh-Hant')).toBe('as raised');
  });
});
