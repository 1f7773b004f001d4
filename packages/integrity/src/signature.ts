import { Buffer } from 'node:buffer';
import { sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

const ed25519SignatureBytes = 64;
const base64url = /^[A-Za-z0-9_-]+$/;

// The signed message is the UTF-8 bytes of the 64-character lowercase hex hash, not the 32
// raw digest bytes: any tool that can print the hash can check the signature.
export function signHash(hash: string, privateKey: KeyObject): string {
  return sign(null, Buffer.from(hash, 'utf8'), privateKey).toString('base64url');
}

export function verifyHashSignature(hash: string, value: string, publicKey: KeyObject): boolean {
  const signature = decodeSignature(value);
  return signature !== undefined && verify(null, Buffer.from(hash, 'utf8'), publicKey, signature);
}

/** Only the one canonical spelling is accepted, so no two signature strings mean the same bytes. */
export function isSignatureValue(value: unknown): value is string {
  return typeof value === 'string' && decodeSignature(value) !== undefined;
}

function decodeSignature(value: string): Buffer | undefined {
  if (!base64url.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length !== ed25519SignatureBytes || bytes.toString('base64url') !== value) return undefined;
  return bytes;
}
