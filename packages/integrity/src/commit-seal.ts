import { Buffer } from 'node:buffer';
import { z } from 'zod';
import { isHexHash } from './hash.ts';
import { parseInstant } from './instant.ts';
import type { KeyRing, Side, SigningKey } from './keys.ts';
import { merkleRoot } from './merkle.ts';
import { isSignatureValue } from './signature.ts';
import { buildSignedRecord, genesisRule, hexHashSchema, instantSchema, parseWith, partitionSchema, sideSchema, signatureSchema, startsChainOnlyAtOne, verifySignedRecord } from './signed-record.ts';
import type { Parsed, RecordCheck } from './signed-record.ts';

export const COMMIT_SEAL_KIND = 'gdhk.seal';

/**
 * The record that ends a side's transaction on each partition it wrote (issue 12): it commits
 * to the hashes of that transaction's events on the partition, in log order, through their
 * RFC 9162 Merkle root, names the last of them (`last`, where a reader's walk back through the
 * events' `commit.prev` links starts), and chains to the partition's previous seal. docs/contract.md, "Seals,
 * proofs and checkpoints", is the normative description.
 */
export const commitSealSchema = z.strictObject({
  kind: z.literal(COMMIT_SEAL_KIND),
  schemaVersion: z.literal(1),
  side: sideSchema,
  // Kafka's own rule for topic names.
  topic: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'a Kafka topic name'),
  partition: partitionSchema,
  sequence: z.int().min(1),
  prevHash: hexHashSchema,
  root: hexHashSchema,
  count: z.int().min(1),
  last: hexHashSchema,
  sealedAt: instantSchema,
  hash: hexHashSchema,
  signature: signatureSchema,
}).refine(startsChainOnlyAtOne, genesisRule);

export type CommitSeal = z.infer<typeof commitSealSchema>;

export type CommitSealInput = {
  side: Side;
  topic: string;
  partition: number;
  /** 1 for the partition's first seal, then one more for each. */
  sequence: number;
  /** The `hash` of the partition's previous seal; GENESIS_HASH for sequence 1. */
  prevHash: string;
  /** The `hash` of each event of the transaction on this partition, in log order. */
  eventHashes: readonly string[];
  sealedAt: string;
};

/**
 * The members of a seal that its `hash` covers (everything but `hash` and `signature`), for a
 * signer that signs elsewhere (a worker thread); `buildCommitSeal` signs them here.
 */
export function commitSealFields(input: CommitSealInput): Omit<CommitSeal, 'hash' | 'signature'> {
  return {
    kind: COMMIT_SEAL_KIND,
    schemaVersion: 1,
    side: input.side,
    topic: input.topic,
    partition: input.partition,
    sequence: input.sequence,
    prevHash: input.prevHash,
    root: merkleRoot(eventHashLeaves(input.eventHashes)).toString('hex'),
    count: input.eventHashes.length,
    last: input.eventHashes.at(-1) ?? '',
    sealedAt: input.sealedAt,
  };
}

/** Builds and signs a seal; throws a TypeError on input that would not make a valid seal. */
export function buildCommitSeal(input: CommitSealInput, key: SigningKey): CommitSeal {
  return buildSignedRecord(commitSealSchema, commitSealFields(input), key, 'buildCommitSeal');
}

/** A seal from untrusted JSON, or why it is not one; never throws. */
export function parseCommitSeal(json: unknown): Parsed<CommitSeal> {
  // One seal per transaction and partition is read: the compiled reader first, zod for the rest.
  const read = readCommitSeal(json);
  return read === undefined ? parseWith(commitSealSchema, json, 'seal') : { ok: true, value: read };
}

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const SEAL_MEMBERS = ['kind', 'schemaVersion', 'side', 'topic', 'partition', 'sequence', 'prevHash', 'root', 'count', 'last', 'sealedAt', 'hash', 'signature'];
const SIGNATURE_MEMBERS = ['keyId', 'alg', 'value'];

/** Own members, exactly these, of a plain object (what JSON.parse makes). */
function plainWithExactly(value: unknown, names: readonly string[]): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const keys = Object.keys(value);
  return keys.length === names.length && names.every((name) => Object.hasOwn(value, name));
}

const isCount = (value: unknown, min: number): value is number => Number.isSafeInteger(value) && (value as number) >= min;

/**
 * `commitSealSchema` compiled by hand: the seal as zod returns it (a copy, members in the
 * schema's order) when zod would accept it, otherwise undefined and zod decides (and words the
 * refusal). A property test holds the two to the same answers.
 */
export function readCommitSeal(json: unknown): CommitSeal | undefined {
  if (!plainWithExactly(json, SEAL_MEMBERS)) return undefined;
  const { kind, schemaVersion, side, topic, partition, sequence, prevHash, root, count, last, sealedAt, hash, signature } = json;
  if (kind !== COMMIT_SEAL_KIND || schemaVersion !== 1 || (side !== 'gd' && side !== 'hk')) return undefined;
  if (typeof topic !== 'string' || !TOPIC_NAME.test(topic) || !isCount(partition, 0) || partition > 2 ** 31 - 1) return undefined;
  if (!isCount(sequence, 1) || !isCount(count, 1) || !isHexHash(prevHash) || !isHexHash(root) || !isHexHash(last) || !isHexHash(hash)) return undefined;
  if (typeof sealedAt !== 'string' || parseInstant(sealedAt) === undefined) return undefined;
  if (!plainWithExactly(signature, SIGNATURE_MEMBERS)) return undefined;
  const { keyId, alg, value } = signature;
  if (typeof keyId !== 'string' || keyId.length < 1 || alg !== 'Ed25519' || !isSignatureValue(value)) return undefined;
  if (!startsChainOnlyAtOne({ sequence, prevHash })) return undefined;
  return { kind, schemaVersion, side, topic, partition, sequence, prevHash, root, count, last, sealedAt, hash, signature: { keyId, alg, value } };
}

/**
 * The seal's hash, then its key (listed, of the seal's side, valid at `sealedAt`), then its
 * signature. Where the seal stands in its partition's chain is `checkChainLink`'s question.
 */
export function verifyCommitSeal(seal: CommitSeal, ring: KeyRing): RecordCheck {
  return verifySignedRecord(seal, { side: seal.side, at: seal.sealedAt }, ring);
}

export type SealedBatchCheck = { ok: true } | { ok: false; reason: 'count_mismatch' | 'root_mismatch'; detail: string };

/** Whether these event hashes, in this order, are exactly the events the seal commits to. */
export function checkSealedBatch(seal: CommitSeal, eventHashes: readonly string[]): SealedBatchCheck {
  if (eventHashes.length !== seal.count) {
    return { ok: false, reason: 'count_mismatch', detail: `the seal counts ${seal.count} events, the batch holds ${eventHashes.length}` };
  }
  const root = merkleRoot(eventHashLeaves(eventHashes)).toString('hex');
  if (root !== seal.root) return { ok: false, reason: 'root_mismatch', detail: `the batch's Merkle root is ${root}, the seal's ${seal.root}` };
  const last = eventHashes.at(-1);
  if (last !== seal.last) return { ok: false, reason: 'root_mismatch', detail: `the batch ends with ${last ?? 'nothing'}, the seal names ${seal.last} as its last event` };
  return { ok: true };
}

/** The Merkle leaves of a batch: the 32 bytes each event's hex `hash` spells. */
export function eventHashLeaves(eventHashes: readonly string[]): Buffer[] {
  return eventHashes.map((hash, index) => {
    // Buffer.from(…, 'hex') stops silently at the first non-hex digit.
    if (!isHexHash(hash)) throw new TypeError(`event hash [${index}] must be 64 lowercase hex digits, got ${JSON.stringify(hash)}`);
    return Buffer.from(hash, 'hex');
  });
}
