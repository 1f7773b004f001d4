import { Buffer } from 'node:buffer';
import { hash } from 'node:crypto';

/** Size in bytes of every hash in a tree, path and root (SHA-256). */
export const MERKLE_HASH_BYTES = 32;

// RFC 9162 §2.1.1: the one-byte prefixes keep a leaf from ever hashing like an inner node
// (no second preimage from a 64-byte leaf that is two child hashes side by side). The inputs
// are assembled in two reused buffers and hashed one-shot: a tree of n leaves makes 2n − 1
// digests and nothing else (crypto.hash is about 40% faster than a createHash per digest).
const leafInput = Buffer.alloc(1 + MERKLE_HASH_BYTES, 0x00);
const nodeInput = Buffer.alloc(1 + 2 * MERKLE_HASH_BYTES, 0x01);

/** MTH({}) = SHA-256 of the empty string (RFC 9162 §2.1.1). */
export function emptyMerkleRoot(): Buffer {
  return hash('sha256', Buffer.alloc(0), 'buffer');
}

/** SHA-256(0x00 || leaf). */
export function merkleLeafHash(leaf: Uint8Array): Buffer {
  if (leaf.length !== MERKLE_HASH_BYTES) return hash('sha256', Buffer.concat([leafInput.subarray(0, 1), leaf]), 'buffer');
  leafInput.set(leaf, 1);
  return hash('sha256', leafInput, 'buffer');
}

/** SHA-256(0x01 || left || right). */
export function merkleNodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== MERKLE_HASH_BYTES || right.length !== MERKLE_HASH_BYTES) {
    return hash('sha256', Buffer.concat([nodeInput.subarray(0, 1), left, right]), 'buffer');
  }
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + MERKLE_HASH_BYTES);
  return hash('sha256', nodeInput, 'buffer');
}

/** RFC 9162 §2.1.1 Merkle Tree Hash of the leaves, in their order. */
export function merkleRoot(leaves: readonly Uint8Array[]): Buffer {
  return rangeRoot(leaves, 0, leaves.length);
}

/**
 * MTH of leaves[start, end), without recursion or per-level arrays: a stack of the roots of
 * the complete subtrees seen so far (at most log2(n) + 1 of them, largest first). Folding it
 * from the right at the end gives exactly RFC 9162's split at the largest power of two below n.
 */
function rangeRoot(leaves: readonly Uint8Array[], start: number, end: number): Buffer {
  if (start >= end) return emptyMerkleRoot();
  const stack: Buffer[] = [];
  for (let index = start; index < end; index++) {
    let node = merkleLeafHash(leaves[index] as Uint8Array);
    // After c leaves, each trailing zero bit of c completes one more subtree.
    for (let seen = index - start + 1; seen % 2 === 0; seen /= 2) node = merkleNodeHash(stack.pop() as Buffer, node);
    stack.push(node);
  }
  let root = stack.pop() as Buffer;
  while (stack.length > 0) root = merkleNodeHash(stack.pop() as Buffer, root);
  return root;
}

/** The largest power of two smaller than `size` (size ≥ 2). */
function splitPoint(size: number): number {
  let k = 1;
  while (k * 2 < size) k *= 2;
  return k;
}

/**
 * RFC 9162 §2.1.3.1 PATH(index, leaves): the sibling subtree roots from the leaf up to the
 * root. O(n) hashes; `merkleInclusionProofs` gives every leaf's path in O(n log n).
 */
export function merkleInclusionProof(leaves: readonly Uint8Array[], index: number): Buffer[] {
  if (!Number.isSafeInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`merkleInclusionProof: index ${index} is not a leaf of a tree of ${leaves.length}`);
  }
  const path: Buffer[] = [];
  let start = 0;
  let end = leaves.length;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      path.push(rangeRoot(leaves, start + k, end));
      end = start + k;
    } else {
      path.push(rangeRoot(leaves, start, start + k));
      start += k;
    }
  }
  return path.reverse();
}

/** The root and every leaf's inclusion path at once, each inner node hashed once. */
export function merkleInclusionProofs(leaves: readonly Uint8Array[]): { root: Buffer; paths: Buffer[][] } {
  const paths = leaves.map((): Buffer[] => []);
  if (leaves.length === 0) return { root: emptyMerkleRoot(), paths };
  // Recursion depth is the tree's height (≤ 53 for any safe-integer size).
  const build = (start: number, end: number): Buffer => {
    if (end - start === 1) return merkleLeafHash(leaves[start] as Uint8Array);
    const middle = start + splitPoint(end - start);
    const left = build(start, middle);
    const right = build(middle, end);
    for (let index = start; index < middle; index++) (paths[index] as Buffer[]).push(right);
    for (let index = middle; index < end; index++) (paths[index] as Buffer[]).push(left);
    return merkleNodeHash(left, right);
  };
  return { root: build(0, leaves.length), paths };
}

export type MerklePathProblem = 'index_out_of_range' | 'bad_hash_length' | 'path_too_long' | 'path_too_short';

export type MerklePathResult =
  | { ok: true; root: Buffer }
  | { ok: false; problem: MerklePathProblem; detail: string };

/**
 * The root an inclusion path leads to from a leaf hash: RFC 9162 §2.1.3.2 steps 1–4 and the
 * `sn == 0` half of step 5, which reject a path too long or too short for (index, size).
 * Halving by division, not bit shifts, so any safe-integer size works.
 */
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  path: readonly Uint8Array[],
): MerklePathResult {
  if (!Number.isSafeInteger(treeSize) || treeSize < 0 || !Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= treeSize) {
    return { ok: false, problem: 'index_out_of_range', detail: `leaf index ${leafIndex} is not below tree size ${treeSize}` };
  }
  if (leafHash.length !== MERKLE_HASH_BYTES) {
    return { ok: false, problem: 'bad_hash_length', detail: `the leaf hash has ${leafHash.length} bytes, not ${MERKLE_HASH_BYTES}` };
  }
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (let position = 0; position < path.length; position++) {
    const p = path[position] as Uint8Array;
    if (p.length !== MERKLE_HASH_BYTES) {
      return { ok: false, problem: 'bad_hash_length', detail: `path[${position}] has ${p.length} bytes, not ${MERKLE_HASH_BYTES}` };
    }
    if (sn === 0) {
      return { ok: false, problem: 'path_too_long', detail: `a path for leaf ${leafIndex} of ${treeSize} has ${position} elements, this one ${path.length}` };
    }
    if (fn % 2 === 1 || fn === sn) {
      r = merkleNodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = merkleNodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) {
    return { ok: false, problem: 'path_too_short', detail: `the path for leaf ${leafIndex} of ${treeSize} has ${path.length} elements, too few` };
  }
  return { ok: true, root: r };
}

/** RFC 9162 §2.1.3.2: whether `path` proves `leaf` (the leaf's bytes, not its hash) at `leafIndex` in the tree of `root`. */
export function verifyMerkleInclusion(
  leaf: Uint8Array,
  leafIndex: number,
  treeSize: number,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const reached = rootFromInclusionProof(merkleLeafHash(leaf), leafIndex, treeSize, path);
  return reached.ok && root.length === MERKLE_HASH_BYTES && reached.root.equals(root);
}
