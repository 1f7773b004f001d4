import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jointOpenApiDocument } from '@gdhk/joint-api';
import { describe, expect, it } from 'vitest';
import { typesOf } from '../src/generate.ts';
import { parseEventStream } from '../src/sse.ts';

describe('the generated joint-api client', () => {
  it('matches the document joint-api serves (regenerate with `pnpm --filter @gdhk/client generate`)', async () => {
    const committed = readFileSync(join(import.meta.dirname, '..', 'src', 'joint-api.ts'), 'utf8');
    expect(await typesOf(await jointOpenApiDocument())).toBe(committed);
  });
});

describe('parseEventStream', () => {
  it('splits events across chunks, keeps ids, skips comments', async () => {
    const chunks = ['id: a\ndata: {"n":', '1}\n\n: keep-alive\n\n', 'id: b\r\ndata: x\r\ndata: y\r\n\r\n'];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
    const events = [];
    for await (const event of parseEventStream(body)) events.push(event);
    expect(events).toEqual([{ id: 'a', data: '{"n":1}' }, { id: 'b', data: 'x\ny' }]);
  });
});
