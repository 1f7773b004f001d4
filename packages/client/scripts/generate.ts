// Writes the types of joint-api's and the side services' OpenAPI documents, which the clients are
// typed by, into src/generated/ (not committed: the bootstrap runs this before every command).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { typesOf } from '../src/generate.ts';
import { GENERATED } from './sources.ts';

const dir = join(import.meta.dirname, '..', 'src', 'generated');
mkdirSync(dir, { recursive: true });
for (const { file, document, service } of GENERATED) {
  const target = join(dir, file);
  const types = await typesOf(await document(), service);
  let current: string | undefined;
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    current = undefined;
  }
  // Rewritten only when it changed, so watchers and incremental builds see no churn.
  if (current !== types) writeFileSync(target, types);
}
