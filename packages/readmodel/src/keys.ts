/**
 * Key layout of the read model. Everything of one read-model generation lives under
 * `<prefix>:rm:<generation>:…`; `<prefix>:rm:current` names the generation joint-api serves,
 * so a rebuild fills a new generation beside the live one and is switched to in one SET.
 */
export interface ReadModelKeys {
  readonly current: string;
  generation(name: string): GenerationKeys;
}

export interface GenerationKeys {
  readonly name: string;
  /** Hash: `<topic>/<partition>` → next offset to apply. */
  readonly offsets: string;
  /** Hash: itemId → JSON of the item's document (both side states and the joint view). */
  readonly items: string;
  /** Stream: the combined feed, one entry per applied event, in the projection's order. */
  readonly feed: string;
  /** Hash: state (`building` | `live`), started, applied count. */
  readonly meta: string;
}

export function readModelKeys(prefix: string): ReadModelKeys {
  return {
    current: `${prefix}:rm:current`,
    generation: (name) => ({
      name,
      offsets: `${prefix}:rm:${name}:offsets`,
      items: `${prefix}:rm:${name}:items`,
      feed: `${prefix}:rm:${name}:feed`,
      meta: `${prefix}:rm:${name}:meta`,
    }),
  };
}
