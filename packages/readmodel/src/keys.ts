/**
 * Key layout of the read model. Everything of one read-model generation lives under
 * `<prefix>:rm:<generation>:…`; `<prefix>:rm:current` names the generation joint-api serves,
 * so a rebuild fills a new generation beside the live one and is switched to in one SET.
 */
export interface ReadModelKeys {
  readonly prefix: string;
  readonly current: string;
  /** String: the read model's change counter, bumped by every change a script of the store makes (any generation). */
  readonly version: string;
  /** Pub/sub channel: one message per bumped version, published in the same script (`changeMessage` in change.ts). */
  readonly changes: string;
  generation(name: string): GenerationKeys;
}

export interface GenerationKeys {
  readonly name: string;
  /** The prefix's `current`, `version` and `changes` (shared by every generation). */
  readonly current: string;
  readonly version: string;
  readonly changes: string;
  /**
   * Hash: `<topic>/<partition>` → where a restart reads again: the first record still held for its
   * seal, or the next to read when none is.
   */
  readonly offsets: string;
  /**
   * Hash: `<topic>/<partition>` → the next offset to read (at least `offsets`): what the build has
   * read, held records included — what going live is judged on, so a record held for a seal that
   * never comes cannot keep a build from going live.
   */
  readonly reached: string;
  /** Hash: itemId → JSON of the item's document (both side states: what the projection resumes from). */
  readonly items: string;
  /** Hash: itemId → JSON of `{ joint, integrity }`, what joint-api serves. */
  readonly views: string;
  /** Hash: itemId → `status|targetDate|integrity-ok`, enough for filters and the summary. */
  readonly index: string;
  /** Stream: the combined feed, one entry per applied event, in the projection's order. */
  readonly feed: string;
  /** Hash: `<side>/<partition>` → the offset after the newest entry of that partition trimmed off the feed's head. */
  readonly feedTrimmed: string;
  /**
   * Hash: seal → what an inclusion proof of its events needs (proof.ts): `<side>/<partition>@<offset>`
   * of the seal record → the seal's JSON, a newline, then the sealed events' hashes in log order,
   * 32 bytes each.
   */
  readonly proofSeals: string;
  /**
   * Hash: eventId → `<seal> <leafIndex> <feed entry id>` (the event's JSON is the feed entry's), or
   * `<seal> <leafIndex> =<event JSON>` when the feed does not hold it; `v1` for an event of schema
   * version 1 (signed on its own: no seal covers it).
   */
  readonly proofEvents: string;
  /** Hash: state (`building` | `live`), buildId, targets, startedAt, liveAt. */
  readonly meta: string;
}

export function readModelKeys(prefix: string): ReadModelKeys {
  const current = `${prefix}:rm:current`;
  const version = `${prefix}:rm:version`;
  const changes = `${prefix}:rm:changes`;
  return {
    prefix,
    current,
    version,
    changes,
    generation: (name) => ({
      name,
      current,
      version,
      changes,
      offsets: `${prefix}:rm:${name}:offsets`,
      reached: `${prefix}:rm:${name}:reached`,
      items: `${prefix}:rm:${name}:items`,
      views: `${prefix}:rm:${name}:views`,
      index: `${prefix}:rm:${name}:index`,
      feed: `${prefix}:rm:${name}:feed`,
      feedTrimmed: `${prefix}:rm:${name}:feed-trimmed`,
      proofSeals: `${prefix}:rm:${name}:proof-seals`,
      proofEvents: `${prefix}:rm:${name}:proof-events`,
      meta: `${prefix}:rm:${name}:meta`,
    }),
  };
}
