import type { Logger } from 'pino';

export interface LogGuardOptions {
  /** topic → topic id, as the cluster says now */
  readonly read: () => Promise<Record<string, string>>;
  readonly logger: Logger;
  /** how long after one check ends the next starts (default 5 s) */
  readonly intervalMs?: number;
  /** once, when the topics turn out to be another log */
  readonly onReplaced: (why: string) => void;
}

/**
 * Watches that the side topics stay the log this process folded into memory. Their topic ids
 * (KIP-516) are read before the fold starts; a topic deleted and created again under its name has
 * another id, and from then on the write model describes a log that no longer exists: the process
 * must neither fold the new log on top of it (a mix) nor write from it. It says so once, and a
 * restart folds the new log from its start (docs/contract.md, "Which log").
 */
export class LogGuard {
  readonly #options: LogGuardOptions;
  #baseline: Record<string, string> | undefined;
  #replaced: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: LogGuardOptions) {
    this.#options = options;
  }

  /** Why the topics are not the log this process folded; undefined while they are. */
  get replaced(): string | undefined {
    return this.#replaced;
  }

  /**
   * Records the topics' ids (before the fold reads them) and checks them from then on, each check
   * an interval after the last one ended: a check that waits on a hung broker is never overlapped.
   */
  async start(): Promise<void> {
    this.#baseline = await this.#options.read();
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.check().finally(() => this.#schedule());
    }, this.#options.intervalMs ?? 5000);
    this.#timer.unref();
  }

  /** Compares the ids with the recorded ones; an unreachable cluster proves nothing and is left to the readiness checks. */
  async check(): Promise<void> {
    if (this.#replaced !== undefined || this.#baseline === undefined) return;
    let now: Record<string, string>;
    try {
      now = await this.#options.read();
    } catch (error) {
      this.#options.logger.debug({ err: error }, 'topic ids not read; asking again later');
      return;
    }
    for (const [topic, id] of Object.entries(this.#baseline)) {
      if (now[topic] === id) continue;
      this.#replaced = `topic ${topic} is another log now (topic id ${now[topic] ?? 'none'}; this process folded ${id})`;
      this.stop();
      this.#options.logger.error({ topic, folded: id, now: now[topic] }, `${this.#replaced}: folding and writing stop; restart the process to fold the new log`);
      this.#options.onReplaced(this.#replaced);
      return;
    }
  }

  /** Cancels the next check; one under way ends, and none starts after it. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
