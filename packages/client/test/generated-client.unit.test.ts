import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED } from '../scripts/sources.ts';
import { typesOf } from '../src/generate.ts';
import { parseEventStream } from '../src/sse.ts';

describe('the generated clients', () => {
  it.each(GENERATED)('$file matches the document $service serve(s) (regenerate with `pnpm --filter @gdhk/client generate`)', async ({ file, service, document }) => {
    const generated = readFileSync(join(import.meta.dirname, '..', 'src', 'generated', file), 'utf8');
    expect(await typesOf(await document(), service)).toBe(generated);
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
