import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level, Logger } from 'pino';

/**
 * A request's logger (`request.log`), whose pino child (bound to the correlation id) is made the
 * first time the request logs at an enabled level. Most requests never do (the line per request
 * is at `info`, and production logs from `warn`), while a pino child per request costs ≈ 1 µs
 * (its bindings serialised), a twentieth of a read served from memory. What it writes is the
 * child's own line, so a request that logs reads exactly as before.
 */
class RequestLogger {
  readonly #parent: Logger;
  readonly #bindings: Bindings;
  #child: Logger | undefined;

  constructor(parent: Logger, bindings: Bindings) {
    this.#parent = parent;
    this.#bindings = bindings;
  }

  #real(): Logger {
    this.#child ??= this.#parent.child(this.#bindings);
    return this.#child;
  }

  #log(level: Level, args: unknown[]): void {
    if (!(this.#child ?? this.#parent).isLevelEnabled(level)) return;
    (this.#real()[level] as (...args: unknown[]) => void)(...args);
  }

  get level(): string {
    return (this.#child ?? this.#parent).level;
  }

  set level(level: string) {
    this.#real().level = level;
  }

  fatal(...args: unknown[]): void {
    this.#log('fatal', args);
  }

  error(...args: unknown[]): void {
    this.#log('error', args);
  }

  warn(...args: unknown[]): void {
    this.#log('warn', args);
  }

  info(...args: unknown[]): void {
    this.#log('info', args);
  }

  debug(...args: unknown[]): void {
    this.#log('debug', args);
  }

  trace(...args: unknown[]): void {
    this.#log('trace', args);
  }

  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options) as FastifyBaseLogger;
  }
}

/**
 * The logger to give fastify (`loggerInstance`): `logger` itself for everything it logs (it
 * inherits every method and setting), except that `child`, which fastify calls once per request
 * for `request.log`, gives a lazy RequestLogger, or a pino child at once when fastify passes
 * options of a route's own (a level, serializers). fastify's default child factory calls it, so
 * fastify does not check the child it gets back at every request as it checks a factory's.
 */
export function requestLoggers(logger: Logger): Logger {
  const parent = Object.create(logger) as Logger;
  parent.child = ((bindings: Bindings, options?: ChildLoggerOptions) => {
    if (options !== undefined && Object.keys(options).length > 0) return logger.child(bindings, options);
    return new RequestLogger(logger, bindings) satisfies FastifyBaseLogger;
  }) as unknown as Logger['child'];
  return parent;
}
