import { jointOpenApiDocument } from '@gdhk/joint-api';
import { sideOpenApiDocument } from '@gdhk/side-service';
import type { OpenAPIV3_1 } from 'openapi-types';

/** Each generated file of src/ and the document it is generated from (gd and hk serve one shape). */
export const GENERATED: readonly { file: string; service: string; document: () => Promise<OpenAPIV3_1.Document> }[] = [
  { file: 'joint-api.ts', service: 'joint-api', document: jointOpenApiDocument },
  { file: 'side-service.ts', service: 'the side services', document: () => sideOpenApiDocument('gd') },
];
