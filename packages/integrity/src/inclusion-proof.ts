import { Buffer } from 'node:buffer';
import { z } from 'zod';
import { CanonicalJsonError } from './canonical.ts';
import { checkSealedBatch, commitSealSchema, eventHashLeaves, verifyCommitSeal } from './commit-seal.ts';
import type { CommitSeal } from './commit-seal.ts';
import { isRecord } from './envelope.ts';
import { contentHash, isHexHash } from './hash.ts';
import type { KeyRing, PublicKeyEntry } from './keys.ts';
import { isSide } from './keys.ts';
import { merkleInclusionProof, merkleLeafHash, rootFromInclusionProof } from './merkle.ts';
import { assertParses, hexHashSchema, instantSchema, parseWith, sideSchema } from './signed-record.ts';
import type { Parsed } from './signed-record.ts';

export const INCLUSION_PROOF_KIND = 'gdhk.inclusion-proof';

// A path longer than any tree of safe-integer size needs is refused before any hashing.
const maxPathLength = 53;

/** The key-set entry (docs/contract.md; packages/integrity/README.md) of the key that signed the seal. */
const publicKeyEntrySchema = z.strictObject({
  keyId: z.string().min(1),
  side: sideSchema,
  alg: z.literal('Ed25519'),
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'the raw 32-byte Ed25519 key in unpadded base64url'),
  validFrom: instantSchema.optional(),
  validUntil: instantSchema.optional(),
});

/**
 * The event as the log holds it (a JSON object; its bytes on the wire may differ in whitespace
 * and member order, which its hash does not see). Checked here only for what the proof relies
 * on; events under sealed commits carry no per-event signature.
 */
const provenEventSchema = z.custom<Record<string, unknown>>(isRecord, 'a JSON object').superRefine((event, context) => {
  if (!isHexHash(event.hash)) context.addIssue({ code: 'custom', path: ['hash'], message: '64 lowercase hex digits' });
  if (!isSide(event.side)) context.addIssue({ code: 'custom', path: ['side'], message: '"gd" or "hk"' });
  if ('signature' in event) {
    context.addIssue({ code: 'custom', path: ['signature'], message: 'an event under a sealed commit has no signature of its own (the seal signs it)' });
  }
});

export const inclusionProofSchema = z.strictObject({
  kind: z.literal(INCLUSION_PROOF_KIND),
  schemaVersion: z.literal(1),
  event: provenEventSchema,
  leafIndex: z.int().min(0),
  treeSize: z.int().min(1),
  path: z.array(hexHashSchema).max(maxPathLength),
  seal: commitSealSchema,
  key: publicKeyEntrySchema,
});

export type InclusionProof = z.infer<typeof inclusionProofSchema>;

export type InclusionProofInput = {
  /** The event JSON as stored (with its `hash`). */
  event: Record<string, unknown>;
  /** The hashes of every event the seal commits to, in log order. */
  eventHashes: readonly string[];
  seal: CommitSeal;
  /** The key-set entry of the key that signed the seal. */
  key: PublicKeyEntry;
};

/** Builds the self-contained proof that `event` is among the events `seal` commits to; throws a TypeError when it is not. */
export function buildInclusionProof(input: InclusionProofInput): InclusionProof {
  const { event, eventHashes, seal, key } = input;
  const hash = event.hash;
  if (typeof hash !== 'string' || hash !== contentHash(event)) throw new TypeError('buildInclusionProof: the event does not hash to its hash');
  const leafIndex = eventHashes.indexOf(hash);
  if (leafIndex === -1) throw new TypeError(`buildInclusionProof: event ${hash} is not among the sealed hashes`);
  if (eventHashes.lastIndexOf(hash) !== leafIndex) throw new TypeError(`buildInclusionProof: event ${hash} is sealed twice`);
  const batch = checkSealedBatch(seal, eventHashes);
  if (!batch.ok) throw new TypeError(`buildInclusionProof: ${batch.detail}`);
  if (key.keyId !== seal.signature.keyId) throw new TypeError(`buildInclusionProof: the seal is signed by ${seal.signature.keyId}, not ${key.keyId}`);
  const proof = {
    kind: INCLUSION_PROOF_KIND,
    schemaVersion: 1,
    event,
    leafIndex,
    treeSize: eventHashes.length,
    path: merkleInclusionProof(eventHashLeaves(eventHashes), leafIndex).map((node) => node.toString('hex')),
    seal,
    key,
  };
  return assertParses(inclusionProofSchema, proof, 'buildInclusionProof');
}

export type InclusionProofFailure =
  | 'malformed'
  | 'index_out_of_range'
  | 'size_mismatch'
  | 'bad_event_hash'
  | 'side_mismatch'
  | 'bad_path'
  | 'key_mismatch'
  | 'unknown_key'
  | 'bad_seal_hash'
  | 'foreign_key'
  | 'key_not_valid'
  | 'bad_signature';

export type InclusionProofCheck =
  | { ok: true; proof: InclusionProof }
  | { ok: false; reason: InclusionProofFailure; detail: string };

/** A proof from untrusted JSON, or why it is not one; never throws. */
export function parseInclusionProof(json: unknown): Parsed<InclusionProof> {
  return parseWith(inclusionProofSchema, json, 'proof');
}

/**
 * Checks a proof offline against a key ring and nothing else, in the contract's order; the
 * first check that fails names the reason. Never throws.
 */
export function verifyInclusionProof(json: unknown, ring: KeyRing): InclusionProofCheck {
  const parsed = parseInclusionProof(json);
  if (!parsed.ok) return parsed;
  const proof = parsed.value;
  const { event, seal, key } = proof;
  const fail = (reason: InclusionProofFailure, detail: string): InclusionProofCheck => ({ ok: false, reason, detail });

  if (proof.leafIndex >= proof.treeSize) return fail('index_out_of_range', `leafIndex ${proof.leafIndex} is not below treeSize ${proof.treeSize}`);
  if (proof.treeSize !== seal.count) return fail('size_mismatch', `treeSize ${proof.treeSize} is not the seal's count ${seal.count}`);

  let computed: string;
  try {
    computed = contentHash(event);
  } catch (error) {
    if (error instanceof CanonicalJsonError) return fail('malformed', `proof.event is not canonicalisable: ${error.message}`);
    throw error;
  }
  if (computed !== event.hash) return fail('bad_event_hash', `the event's hash ${String(event.hash)} does not match its content, which hashes to ${computed}`);
  if (event.side !== seal.side) return fail('side_mismatch', `a ${String(event.side)} event under a ${seal.side} seal`);

  const reached = rootFromInclusionProof(
    merkleLeafHash(Buffer.from(computed, 'hex')),
    proof.leafIndex,
    proof.treeSize,
    proof.path.map((node) => Buffer.from(node, 'hex')),
  );
  if (!reached.ok) return fail('bad_path', reached.detail);
  const root = reached.root.toString('hex');
  if (root !== seal.root) return fail('bad_path', `the path leads to ${root}, the seal's root is ${seal.root}`);

  if (key.keyId !== seal.signature.keyId) return fail('key_mismatch', `the seal is signed by key ${seal.signature.keyId}, the proof carries key ${key.keyId}`);
  const listed = ring.entry(key.keyId);
  if (listed === undefined) return fail('unknown_key', `key ${JSON.stringify(key.keyId)} is not in the key set`);
  const differing = entryDifference(listed, key);
  if (differing !== undefined) return fail('unknown_key', `the key set lists key ${key.keyId} with another ${differing}`);

  const sealCheck = verifyCommitSeal(seal, ring);
  if (!sealCheck.ok) return fail(sealCheck.reason === 'bad_hash' ? 'bad_seal_hash' : sealCheck.reason, sealCheck.detail);
  return { ok: true, proof };
}

function entryDifference(listed: PublicKeyEntry, carried: InclusionProof['key']): string | undefined {
  for (const field of ['side', 'alg', 'publicKey', 'validFrom', 'validUntil'] as const) {
    if (listed[field] !== carried[field]) return field;
  }
  return undefined;
}
