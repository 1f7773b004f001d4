import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createHttpApp } from '../src/platform.ts';
import { requestLoggers } from '../src/request-logger.ts';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  } });
  const parent = pino({ level, base: { service: 'test' } }, stream);
  // Counts children made of the parent or of its children (pino children inherit from it).
  let children = 0;
  const child = parent.child;
  parent.child = function (this: typeof parent, ...args: Parameters<typeof child>) {
    children += 1;
    return child.apply(this, args);
  } as typeof parent.child;
  return { parent, lines, children: () => children };
}

describe("a request's logger", () => {
  it('makes no pino child while the request logs nothing at an enabled level', () => {
    const { parent, lines, children } = capture('warn');
    const log = requestLoggers(parent).child({ correlationId: 'c-1' }, {});
    log.info({ status: 200 }, 'request');
    log.debug('detail');
    log.trace('more');
    expect(log.level).toBe('warn');
    expect(children()).toBe(0);
    expect(lines).toEqual([]);
  });

  it('writes what a pino child would, bound to the correlation id, making the child once', () => {
    const { parent, lines, children } = capture('info');
    const log = requestLoggers(parent).child({ correlationId: 'c-2' }, {});
    log.info({ status: 200 }, 'request');
    log.warn('careful %s', 'there');
    log.error(new Error('boom'));
    log.debug('not at info');
    expect(children()).toBe(1);
    expect(lines.map(({ level, msg, correlationId, service, status }) => ({ level, msg, correlationId, service, status }))).toEqual([
      { level: 30, msg: 'request', correlationId: 'c-2', service: 'test', status: 200 },
      { level: 40, msg: 'careful there', correlationId: 'c-2', service: 'test', status: undefined },
      { level: 50, msg: 'boom', correlationId: 'c-2', service: 'test', status: undefined },
    ]);
    expect(lines[2]?.err).toMatchObject({ message: 'boom', type: 'Error' });
  });

  it('follows a level set on it, and its children keep the correlation id', () => {
    const { parent, lines } = capture('warn');
    const log = requestLoggers(parent).child({ correlationId: 'c-3' }, {});
    log.level = 'debug';
    expect(log.level).toBe('debug');
    log.debug('now shown');
    log.child({ part: 'stream' }).info('from a child');
    expect(parent.level).toBe('warn');
    expect(lines.map(({ msg, correlationId, part }) => ({ msg, correlationId, part }))).toEqual([
      { msg: 'now shown', correlationId: 'c-3', part: undefined },
      { msg: 'from a child', correlationId: 'c-3', part: 'stream' },
    ]);
  });

  it("is the pino child itself when the route sets logger options of its own", () => {
    const { parent, children } = capture('warn');
    const log = requestLoggers(parent).child({ correlationId: 'c-4' }, { level: 'debug' });
    expect(children()).toBe(1);
    expect(log.level).toBe('debug');
  });

  it("logs as the logger itself for the app, and each request's lines carry its correlation id", async () => {
    const { parent, lines } = capture('info');
    const app = await createHttpApp({ service: 'test', title: 't', description: 'd', logger: parent });
    app.get('/hello', async (request) => {
      request.log.warn({ step: 1 }, 'inside');
      return { ok: true };
    });
    await app.ready();
    app.log.info('from the app');
    const response = await app.inject({ url: '/hello', headers: { 'x-correlation-id': 'req-42' } });
    expect(response.headers['x-correlation-id']).toBe('req-42');
    await app.close();
    expect(lines.map(({ msg, correlationId, service }) => ({ msg, correlationId, service })).filter((line) => line.msg !== 'Server listening at')).toEqual(expect.arrayContaining([
      { msg: 'from the app', correlationId: undefined, service: 'test' },
      { msg: 'inside', correlationId: 'req-42', service: 'test' },
      { msg: 'request', correlationId: 'req-42', service: 'test' },
    ]));
  });
});
