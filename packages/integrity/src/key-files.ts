import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from './hash.ts';
import { exportPrivateKeyPem, generateSigningKey, isSide, KeyRing, KeySetError, parseKeySet, publicKeyEntry, signingKeyFromPem } from './keys.ts';
import type { KeySet, PublicKeyEntry, Side, SigningKey } from './keys.ts';

/** A side's private signing key on disk: `signing-gd.json`, `signing-hk.json`. */
export type SigningKeyFile = {
  keyId: string;
  side: Side;
  alg: 'Ed25519';
  /** PKCS#8 PEM. */
  privateKeyPem: string;
};

export function signingKeyToJson(key: SigningKey): SigningKeyFile {
  return { keyId: key.keyId, side: key.side, alg: 'Ed25519', privateKeyPem: exportPrivateKeyPem(key) };
}

export function parseSigningKeyFile(json: unknown): SigningKey {
  if (typeof json !== 'object' || json === null) throw new KeySetError('signing key file: expected an object { keyId, side, alg, privateKeyPem }');
  const { keyId, side, alg, privateKeyPem } = json as Record<string, unknown>;
  if (typeof keyId !== 'string' || keyId.length === 0) throw new KeySetError('signing key file: keyId must be a non-empty string');
  if (!isSide(side)) throw new KeySetError(`signing key file ${keyId}: side must be "gd" or "hk"`);
  if (alg !== 'Ed25519') throw new KeySetError(`signing key file ${keyId}: alg must be "Ed25519"`);
  if (typeof privateKeyPem !== 'string') throw new KeySetError(`signing key file ${keyId}: privateKeyPem must be a PEM string`);
  return signingKeyFromPem(keyId, side, privateKeyPem);
}

/** With `side`, also refuses a file holding the other side's key. */
export function readSigningKeyFile(path: string, side?: Side): SigningKey {
  const key = parseSigningKeyFile(readJson(path));
  if (side !== undefined && key.side !== side) throw new KeySetError(`${path}: holds a ${key.side} key, expected ${side}`);
  return key;
}

export function readKeySetFile(path: string): KeySet {
  return parseKeySet(readJson(path));
}

export function readKeyRingFile(path: string): KeyRing {
  return new KeyRing(readKeySetFile(path));
}

export const DEV_KEY_FILES = {
  signing: { gd: 'signing-gd.json', hk: 'signing-hk.json' },
  keySet: 'keyset.json',
} as const;

export type DevKeySet = {
  signingKeyFiles: Record<Side, string>;
  keySetFile: string;
  keySet: KeySet;
};

/**
 * Development signing keys for both sides and the public key set that verifies them,
 * created on first use in a git-ignored folder. Existing keys are kept; the key set only
 * gains entries, so events signed with earlier keys still verify.
 */
export async function ensureDevKeySet(keysDir: string): Promise<DevKeySet> {
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  const signingKeyFiles = { gd: join(keysDir, DEV_KEY_FILES.signing.gd), hk: join(keysDir, DEV_KEY_FILES.signing.hk) };
  const keys = [ensureSigningKeyFile(signingKeyFiles.gd, 'gd'), ensureSigningKeyFile(signingKeyFiles.hk, 'hk')];

  const keySetFile = join(keysDir, DEV_KEY_FILES.keySet);
  const existing = existsSync(keySetFile) ? readKeySetFile(keySetFile) : { keys: [] };
  const missing: PublicKeyEntry[] = [];
  for (const key of keys) {
    const entry = publicKeyEntry(key);
    const listed = existing.keys.find((candidate) => candidate.keyId === entry.keyId);
    if (listed === undefined) missing.push(entry);
    else if (listed.publicKey !== entry.publicKey || listed.side !== entry.side) {
      throw new KeySetError(`${keySetFile}: key ${entry.keyId} does not match ${signingKeyFiles[key.side]}`);
    }
  }
  const keySet = { keys: [...existing.keys, ...missing] };
  if (missing.length > 0) {
    const temporary = `${keySetFile}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(keySet, null, 2)}\n`);
    renameSync(temporary, keySetFile);
  }
  return { signingKeyFiles, keySetFile, keySet: parseKeySet(keySet) };
}

function ensureSigningKeyFile(path: string, side: Side): SigningKey {
  if (!existsSync(path)) {
    const generated = generateSigningKey(`${side}-pending`, side);
    // Named after its public key, so a regenerated key can never collide with a listed one.
    const keyId = `${side}-dev-${sha256Hex(publicKeyEntry(generated).publicKey).slice(0, 12)}`;
    const key = { ...generated, keyId };
    try {
      writeFileSync(path, `${JSON.stringify(signingKeyToJson(key), null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readSigningKeyFile(path, side);
}

function readJson(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new KeySetError(`${path}: not valid JSON`, { cause: error });
  }
}
