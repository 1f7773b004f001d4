// The read model's change notifications. Every script of the store that changes Redis bumps the
// prefix's `version` counter and PUBLISHes one message on `changes` in the same atomic step, so
// the messages a subscriber receives are numbered without gaps, in the order Redis ran the
// scripts. Pub/sub is at most once: a subscriber that sees a number skipped knows it lost one.
//
// A message is fields joined by U+001F, which valid JSON can never contain unescaped (control
// characters are escaped inside strings and not allowed outside them), and neither can item ids,
// index entries, generation names or build ids:
//   version, kind, generation, buildId [, itemId, index, view]…
// Items follow only for `applied`: a batch applied to the generation `current` names, carrying
// each item's new index entry and view exactly as the script stored them.

/** Separator of a change message's fields (Lua: '\31'). */
export const CHANGE_FIELD_SEPARATOR = '\u001f';

export type ChangeKind =
  /** a batch applied to the generation `current` names; its items follow */
  | 'applied'
  /** a batch applied to a generation `current` did not name (a build beside the live one) */
  | 'applied-aside'
  /** a build was started in the generation, wiping what it held */
  | 'build'
  /** a build went live, or `current` was switched to it */
  | 'promoted';

export interface ChangeMessage {
  readonly version: number;
  readonly kind: ChangeKind;
  readonly generation: string;
  readonly buildId: string;
  /** itemId → its new index entry and view (JSON), for `applied` */
  readonly items: readonly { itemId: string; index: string; view: string }[];
}

const kinds: readonly ChangeKind[] = ['applied', 'applied-aside', 'build', 'promoted'];
const isChangeKind = (text: string): text is ChangeKind => (kinds as readonly string[]).includes(text);

/** A change message as published by the store's scripts, or undefined when it is not one. */
export function parseChangeMessage(text: string): ChangeMessage | undefined {
  const fields = text.split(CHANGE_FIELD_SEPARATOR);
  const [version, kind, generation, buildId] = fields;
  if (!version || !/^\d+$/.test(version) || !kind || !isChangeKind(kind) || !generation || buildId === undefined || (fields.length - 4) % 3 !== 0) return undefined;
  const items: { itemId: string; index: string; view: string }[] = [];
  for (let at = 4; at + 2 < fields.length; at += 3) items.push({ itemId: fields[at] ?? '', index: fields[at + 1] ?? '', view: fields[at + 2] ?? '' });
  return { version: Number(version), kind, generation, buildId, items };
}
