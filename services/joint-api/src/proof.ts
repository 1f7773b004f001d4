import { statSync } from 'node:fs';
import { buildInclusionProof, isRecord, parseCommitSeal, readKeySetFile, type InclusionProof, type KeySet, type PublicKeyEntry } from '@gdhk/integrity';
import type { StoredProof } from '@gdhk/readmodel';

/** The key-set entries joint-api puts in proofs, by key id. */
export interface KeySetSource {
  entry(keyId: string): PublicKeyEntry | undefined;
}

/**
 * The key-set file (`GDHK_KEYSET_FILE`, by default `$GDHK_KEYS_DIR/keyset.json`), read when first
 * needed and again whenever it changed (its size or modification time): a proof carries the entry
 * exactly as the set lists it now, a rotation's `validUntil` included, without a restart. A file
 * that cannot be read throws (that request fails, not the process).
 */
export class KeySetFile implements KeySetSource {
  readonly #path: string;
  #keySet: KeySet | undefined;
  #version = '';

  constructor(path: string) {
    this.#path = path;
  }

  entry(keyId: string): PublicKeyEntry | undefined {
    const { size, mtimeMs } = statSync(this.#path);
    const version = `${size} ${mtimeMs}`;
    if (!this.#keySet || version !== this.#version) {
      this.#keySet = readKeySetFile(this.#path);
      this.#version = version;
    }
    return this.#keySet.keys.find((entry) => entry.keyId === keyId);
  }
}

/** The proof of a sealed event as the read model holds it, or why there is none (a 404's detail). */
export type ProofAnswer = { readonly ok: true; readonly proof: InclusionProof } | { readonly ok: false; readonly code: 'GDHK_EVENT_NOT_FOUND' | 'GDHK_EVENT_NOT_SEALED'; readonly detail: string };

/**
 * Builds the inclusion proof (docs/contract.md, "Inclusion proof") from what the projection kept:
 * the same document `npm run audit -- prove` writes for the event. Throws when the stored parts
 * do not make a proof (a read model that is not what the projection wrote), never for a missing event.
 */
export function proofAnswer(eventId: string, stored: StoredProof, keys: KeySetSource): ProofAnswer {
  if (stored.kind === 'unknown') {
    return { ok: false, code: 'GDHK_EVENT_NOT_FOUND', detail: `no event ${eventId} under a seal that verified is in the joint view: it is not in the log, or not sealed yet, or not read yet (the projection applies a sealed commit when it reads its seal)` };
  }
  if (stored.kind === 'version-one') {
    return { ok: false, code: 'GDHK_EVENT_NOT_SEALED', detail: `event ${eventId} is of schema version 1: it is signed on its own, and no seal covers it` };
  }
  const event: unknown = JSON.parse(stored.event);
  if (!isRecord(event)) throw new Error(`the read model holds no JSON object for event ${eventId}`);
  const seal = parseCommitSeal(JSON.parse(stored.seal));
  if (!seal.ok) throw new Error(`the read model's seal ${stored.ref} of event ${eventId} is not a seal: ${seal.detail}`);
  const key = keys.entry(seal.value.signature.keyId);
  if (!key) throw new Error(`the key set does not list key ${seal.value.signature.keyId}, which signed seal ${stored.ref}`);
  const proof = buildInclusionProof({ event, eventHashes: stored.hashes, seal: seal.value, key });
  if (proof.leafIndex !== stored.leafIndex) throw new Error(`event ${eventId} is leaf ${proof.leafIndex} of seal ${stored.ref}, the read model says ${stored.leafIndex}`);
  return { ok: true, proof };
}
