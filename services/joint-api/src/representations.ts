import { entityTag } from '@gdhk/http';

/** A response body kept with its ETag. */
export interface Representation {
  readonly body: string;
  readonly etag: string;
}

/**
 * Bodies of the reads served from memory, built and tagged once per state of the view memory
 * (its tag) and key (route, parameters, language, Hong Kong date). A new state drops them all, so
 * a body is never older than the memory it was built from. At most `limit` are kept per state: a
 * key has client-chosen parts (the filters), so beyond it they are dropped and built again.
 */
export class Representations {
  private state = '';
  private readonly entries = new Map<string, Representation>();
  private readonly limit: number;

  constructor(limit = 2000) {
    this.limit = limit;
  }

  /** The body for `key` at memory state `state`, built by `build` when it is not kept yet. */
  of(state: string, key: string, build: () => string): Representation {
    if (state !== this.state) {
      this.entries.clear();
      this.state = state;
    }
    const kept = this.entries.get(key);
    if (kept) return kept;
    const body = build();
    const made = { body, etag: entityTag(body) };
    if (this.entries.size >= this.limit) this.entries.clear();
    this.entries.set(key, made);
    return made;
  }
}
