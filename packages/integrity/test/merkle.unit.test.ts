import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emptyMerkleRoot,
  merkleInclusionProof,
  merkleInclusionProofs,
  merkleLeafHash,
  merkleNodeHash,
  merkleRoot,
  rootFromInclusionProof,
  verifyMerkleInclusion,
} from '../src/index.ts';

const hex = (text: string) => Buffer.from(text, 'hex');
const hexes = (buffers: readonly Buffer[]) => buffers.map((buffer) => buffer.toString('hex'));

// Reference vectors of transparency-dev/merkle (the Go implementation behind Certificate
// Transparency and Trillian), copied from testonly/constants.go (LeafInputs, RootHashes) and
// proof/verify_test.go (inclusionProofs, whose leaf numbers are 1-based there).
const leafInputs = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(hex);
const rootHashes = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const inclusionVectors: { index: number; size: number; path: string[] }[] = [
  { index: 0, size: 1, path: [] },
  {
    index: 0,
    size: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    path: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, path: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    path: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

describe('RFC 9162 hashes (transparency-dev/merkle rfc6962/rfc6962_test.go)', () => {
  it('hashes the empty tree, leaves and nodes with their domain prefixes', () => {
    expect(emptyMerkleRoot().toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(merkleLeafHash(Buffer.alloc(0)).toString('hex')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(merkleLeafHash(Buffer.from('L123456')).toString('hex')).toBe('395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56');
    expect(merkleNodeHash(Buffer.from('N123'), Buffer.from('N456')).toString('hex'))
      .toBe('aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb');
  });
});

describe('merkleRoot', () => {
  it.each(rootHashes.map((root, size) => [size, root] as const))('gives the reference root of the first %i leaves', (size, root) => {
    expect(merkleRoot(leafInputs.slice(0, size)).toString('hex')).toBe(root);
  });

  it('equals the recursive definition for every size up to 300', () => {
    const leaves = randomLeaves(300, 1);
    for (let size = 0; size <= 300; size++) {
      expect(merkleRoot(leaves.slice(0, size)).equals(referenceRoot(leaves.slice(0, size))), `size ${size}`).toBe(true);
    }
  });
});

describe('merkleInclusionProof', () => {
  it.each(inclusionVectors)('gives the reference path of leaf $index of $size', ({ index, size, path }) => {
    const leaves = leafInputs.slice(0, size);
    expect(hexes(merkleInclusionProof(leaves, index))).toEqual(path);
    expect(hexes(merkleInclusionProofs(leaves).paths[index] ?? [])).toEqual(path);
    expect(verifyMerkleInclusion(leaves[index] as Buffer, index, size, path.map(hex), hex(rootHashes[size] as string))).toBe(true);
  });

  it('refuses an index outside the tree', () => {
    expect(() => merkleInclusionProof(leafInputs, 8)).toThrowError(RangeError);
    expect(() => merkleInclusionProof([], 0)).toThrowError(RangeError);
    expect(() => merkleInclusionProof(leafInputs, -1)).toThrowError(RangeError);
  });

  it('proves every leaf of every tree up to 300 leaves against its root, one path or all at once', () => {
    const leaves = randomLeaves(300, 2);
    for (let size = 1; size <= 300; size++) {
      const tree = leaves.slice(0, size);
      const { root, paths } = merkleInclusionProofs(tree);
      expect(root.equals(merkleRoot(tree))).toBe(true);
      for (let index = 0; index < size; index++) {
        const path = paths[index] as Buffer[];
        if (!verifyMerkleInclusion(tree[index] as Buffer, index, size, path, root)) throw new Error(`leaf ${index} of ${size} does not prove`);
      }
      for (const index of new Set([0, size >> 1, size - 1])) {
        expect(hexes(merkleInclusionProof(tree, index))).toEqual(hexes(paths[index] as Buffer[]));
        expect(hexes(merkleInclusionProof(tree, index))).toEqual(hexes(referencePath(tree, index)));
      }
    }
  });
});

describe('verifyMerkleInclusion rejects what was not proven', () => {
  const proofCase = fc.integer({ min: 1, max: 300 }).chain((size) => fc.record({
    size: fc.constant(size),
    index: fc.integer({ min: 0, max: size - 1 }),
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  })).map(({ size, index, seed }) => {
    const leaves = randomLeaves(size, seed);
    return { size, index, leaves, leaf: leaves[index] as Buffer, path: merkleInclusionProof(leaves, index), root: merkleRoot(leaves) };
  });

  it('a changed byte of the leaf, of a path element or of the root', () => {
    fc.assert(fc.property(proofCase, fc.nat(), fc.integer({ min: 1, max: 255 }), ({ size, index, leaf, path, root }, at, xor) => {
      const flip = (bytes: Buffer) => {
        const copy = Buffer.from(bytes);
        copy[at % copy.length] = (copy[at % copy.length] as number) ^ xor;
        return copy;
      };
      expect(verifyMerkleInclusion(flip(leaf), index, size, path, root)).toBe(false);
      expect(verifyMerkleInclusion(leaf, index, size, path, flip(root))).toBe(false);
      if (path.length > 0) {
        const element = at % path.length;
        const altered = path.map((node, position) => (position === element ? flip(node) : node));
        expect(verifyMerkleInclusion(leaf, index, size, altered, root)).toBe(false);
      }
    }), { numRuns: 300 });
  });

  it('any other index, in the tree or past its end', () => {
    fc.assert(fc.property(proofCase, fc.nat({ max: 600 }), ({ size, index, leaf, path, root }, other) => {
      fc.pre(other !== index);
      expect(verifyMerkleInclusion(leaf, other, size, path, root)).toBe(false);
    }), { numRuns: 300 });
  });

  it('a path one element too long or too short, wherever the element is', () => {
    fc.assert(fc.property(proofCase, fc.nat(), ({ size, index, leaf, path, root }, at) => {
      const position = at % (path.length + 1);
      const longer = [...path.slice(0, position), root, ...path.slice(position)];
      const reachedLonger = rootFromInclusionProof(merkleLeafHash(leaf), index, size, longer);
      expect(reachedLonger.ok ? 'verified' : reachedLonger.problem).toBe('path_too_long');
      if (path.length > 0) {
        const shorter = path.filter((_, element) => element !== at % path.length);
        const reachedShorter = rootFromInclusionProof(merkleLeafHash(leaf), index, size, shorter);
        expect(reachedShorter.ok ? 'verified' : reachedShorter.problem).toBe('path_too_short');
      }
    }), { numRuns: 300 });
  });

  it('the reference probes: size doubled or halved, empty and trailing elements', () => {
    fc.assert(fc.property(proofCase, ({ size, index, leaf, path, root }) => {
      expect(verifyMerkleInclusion(leaf, index, size * 2, path, root)).toBe(false);
      if (size > 1) expect(verifyMerkleInclusion(leaf, index, size >> 1, path, root)).toBe(false);
      expect(verifyMerkleInclusion(leaf, index, size, [...path, Buffer.alloc(0)], root)).toBe(false);
      expect(verifyMerkleInclusion(leaf, index, size, [Buffer.alloc(0), ...path], root)).toBe(false);
      expect(verifyMerkleInclusion(leaf, index, size, path, emptyMerkleRoot())).toBe(false);
    }), { numRuns: 200 });
  });

  it('does not bind the tree size on its own: the signed count must (leaf 0 of 3 and of 4 share a path shape)', () => {
    const leaves = randomLeaves(3, 7);
    const path = merkleInclusionProof(leaves, 0);
    const root = merkleRoot(leaves);
    expect(verifyMerkleInclusion(leaves[0] as Buffer, 0, 3, path, root)).toBe(true);
    expect(verifyMerkleInclusion(leaves[0] as Buffer, 0, 4, path, root)).toBe(true);
  });

  it('names why a path cannot be followed', () => {
    const leaf = merkleLeafHash(Buffer.alloc(32));
    expect(rootFromInclusionProof(leaf, 0, 0, [])).toMatchObject({ ok: false, problem: 'index_out_of_range' });
    expect(rootFromInclusionProof(leaf, 3, 3, [])).toMatchObject({ ok: false, problem: 'index_out_of_range' });
    expect(rootFromInclusionProof(leaf, 0.5, 3, [])).toMatchObject({ ok: false, problem: 'index_out_of_range' });
    expect(rootFromInclusionProof(leaf.subarray(1), 0, 1, [])).toMatchObject({ ok: false, problem: 'bad_hash_length' });
    expect(rootFromInclusionProof(leaf, 0, 2, [Buffer.alloc(31)])).toMatchObject({ ok: false, problem: 'bad_hash_length' });
    expect(rootFromInclusionProof(leaf, 0, 1, [leaf])).toMatchObject({ ok: false, problem: 'path_too_long' });
    expect(rootFromInclusionProof(leaf, 0, 2, [])).toMatchObject({ ok: false, problem: 'path_too_short' });
    expect(rootFromInclusionProof(leaf, 0, 1, [])).toMatchObject({ ok: true, root: leaf });
  });

  it('follows paths in trees too large for 32-bit shifts', () => {
    // Leaf 2^40 + 1 of 2^40 + 2: its sibling leaf 2^40, then the 2^40 leaves on the left.
    const leaf = merkleLeafHash(Buffer.from('b'));
    const sibling = merkleLeafHash(Buffer.from('a'));
    const left = merkleLeafHash(Buffer.from('left subtree stand-in'));
    const reached = rootFromInclusionProof(leaf, 2 ** 40 + 1, 2 ** 40 + 2, [sibling, left]);
    expect(reached).toMatchObject({ ok: true });
    expect(reached.ok && reached.root.equals(merkleNodeHash(left, merkleNodeHash(sibling, leaf)))).toBe(true);
  });
});

/** MTH and PATH exactly as RFC 9162 §2.1.1 and §2.1.3.1 define them, recursively: the oracle. */
function referenceRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return merkleLeafHash(leaves[0] as Buffer);
  const k = 2 ** Math.floor(Math.log2(leaves.length - 1));
  return merkleNodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

function referencePath(leaves: readonly Buffer[], m: number): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = 2 ** Math.floor(Math.log2(leaves.length - 1));
  return m < k
    ? [...referencePath(leaves.slice(0, k), m), referenceRoot(leaves.slice(k))]
    : [...referencePath(leaves.slice(k), m - k), referenceRoot(leaves.slice(0, k))];
}

/** Deterministic distinct 32-byte leaves, like event hashes. */
function randomLeaves(count: number, seed: number): Buffer[] {
  return Array.from({ length: count }, (_, index) => createHash('sha256').update(`${seed}:${index}`).digest());
}
