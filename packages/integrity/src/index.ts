export { canonicalJson, CanonicalJsonError } from './canonical.ts';
export { contentHash, eventHash, GENESIS_HASH, isHexHash, sha256Hex } from './hash.ts';
export {
  exportPrivateKeyPem,
  generateSigningKey,
  isSide,
  KeyRing,
  KeySetError,
  parseKeySet,
  publicKeyEntry,
  signingKeyFromPem,
} from './keys.ts';
export type { KeyLookup, KeyProblem, KeySet, KeyValidity, PublicKeyEntry, Side, SigningKey } from './keys.ts';
export {
  DEV_KEY_FILES,
  ensureDevKeySet,
  parseSigningKeyFile,
  readKeyRingFile,
  readKeySetFile,
  readSigningKeyFile,
  signingKeyToJson,
} from './key-files.ts';
export type { DevKeySet, SigningKeyFile } from './key-files.ts';
export type { CommitLink, CommittedEvent, EventEnvelope, EventSignature, SealedEvent, SealFields } from './envelope.ts';
export { hashCommittedEvent, sealEvent } from './seal.ts';
export { verifyHashSignature } from './signature.ts';
export { parseInstant } from './instant.ts';
export { readSealedEvent, describeJson, isRecord } from './envelope.ts';
export { verifyEventSignature } from './verify.ts';
export type { EventCheck, SealFailureReason } from './verify.ts';
export {
  emptyMerkleRoot,
  MERKLE_HASH_BYTES,
  merkleInclusionProof,
  merkleInclusionProofs,
  merkleLeafHash,
  merkleNodeHash,
  merkleRoot,
  rootFromInclusionProof,
  verifyMerkleInclusion,
} from './merkle.ts';
export type { MerklePathProblem, MerklePathResult } from './merkle.ts';
export { checkChainLink } from './signed-record.ts';
export type { ChainLinkCheck, Parsed, RecordCheck } from './signed-record.ts';
export {
  buildCommitSeal,
  checkSealedBatch,
  COMMIT_SEAL_KIND,
  commitSealFields,
  eventHashLeaves,
  parseCommitSeal,
  verifyCommitSeal,
} from './commit-seal.ts';
export type { CommitSeal, CommitSealInput, SealedBatchCheck } from './commit-seal.ts';
export { buildInclusionProof, INCLUSION_PROOF_KIND, parseInclusionProof, verifyInclusionProof } from './inclusion-proof.ts';
export type { InclusionProof, InclusionProofCheck, InclusionProofFailure, InclusionProofInput } from './inclusion-proof.ts';
export { buildCheckpoint, CHECKPOINT_KIND, checkpointFields, compareCheckpointsWithLog, parseCheckpoint, verifyCheckpoint } from './checkpoint.ts';
export type { Checkpoint, CheckpointFinding, CheckpointHead, CheckpointInput, SealChains } from './checkpoint.ts';
