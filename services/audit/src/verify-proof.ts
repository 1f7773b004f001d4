import { verifyInclusionProof, type InclusionProofFailure, type KeyRing } from '@gdhk/integrity';

/** What `audit verify-proof` says of a proof file: the one line a script reads on stdout. */
export type ProofVerdict =
  | {
      readonly verified: true;
      readonly eventId: unknown;
      readonly itemId: unknown;
      readonly side: string;
      readonly streamVersion: unknown;
      readonly seal: { readonly topic: string; readonly partition: number; readonly sequence: number; readonly root: string; readonly count: number };
      readonly leafIndex: number;
      readonly keyId: string;
    }
  | { readonly verified: false; readonly reason: InclusionProofFailure; readonly detail: string };

/**
 * Checks the text of a proof file against a key ring and nothing else (docs/contract.md,
 * "Inclusion proofs"); text that is not JSON is a malformed proof. Never throws.
 */
export function verifyProofText(text: string, ring: KeyRing): ProofVerdict {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { verified: false, reason: 'malformed', detail: `the proof is not JSON: ${(error as Error).message}` };
  }
  const check = verifyInclusionProof(json, ring);
  if (!check.ok) return { verified: false, reason: check.reason, detail: check.detail };
  const { event, seal, leafIndex, key } = check.proof;
  return {
    verified: true,
    eventId: event.eventId,
    itemId: event.itemId,
    side: seal.side,
    streamVersion: event.streamVersion,
    seal: { topic: seal.topic, partition: seal.partition, sequence: seal.sequence, root: seal.root, count: seal.count },
    leafIndex,
    keyId: key.keyId,
  };
}
