// Writes src/joint-api.ts: the types of joint-api's OpenAPI document, which the client is typed by.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jointOpenApiDocument } from '@gdhk/joint-api';
import { typesOf } from '../src/generate.ts';

const target = join(import.meta.dirname, '..', 'src', 'joint-api.ts');
writeFileSync(target, await typesOf(await jointOpenApiDocument()));
console.log(`wrote ${target}`);
