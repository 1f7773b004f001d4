import { describe, expect, it } from 'vitest';
import { progressBar } from '../src/progress.ts';

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, columns: 120, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream, written };
}

describe('progressBar', () => {
  it('draws events and events/s on a terminal, at most five times a second', () => {
    const { stream, written } = fakeStream(true);
    let clock = 0;
    const bar = progressBar(stream, () => clock);
    clock = 1000;
    bar.update({ events: 5000, done: 5000n, total: 10_000n });
    bar.update({ events: 5100, done: 5100n, total: 10_000n });
    clock = 2000;
    bar.update({ events: 10_000, done: 10_000n, total: 10_000n });
    bar.done();
    expect(written[0]).toMatch(/^\raudit replay \[#{12}\.{12}\] {2}50% {2}5,000 events {2}5,000 events\/s/);
    expect(written.filter((text) => text.startsWith('\r'))).toHaveLength(3);
    expect(written.at(-2)).toMatch(/100% {2}10,000 events {2}5,000 events\/s/);
    expect(written.at(-1)).toBe('\n');
  });

  it('stays silent when the stream is not a terminal', () => {
    const { stream, written } = fakeStream(false);
    const bar = progressBar(stream);
    bar.update({ events: 1, done: 1n, total: 2n });
    bar.done();
    expect(written).toEqual([]);
  });
});
