// Writes the types of joint-api's and the side services' OpenAPI documents, which the clients are typed by.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { typesOf } from '../src/generate.ts';
import { GENERATED } from './sources.ts';

for (const { file, document, service } of GENERATED) {
  const target = join(import.meta.dirname, '..', 'src', file);
  writeFileSync(target, await typesOf(await document(), service));
  console.log(`wrote ${target}`);
}
