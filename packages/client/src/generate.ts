import openapiTS, { astToString } from 'openapi-typescript';
import type { OpenAPIV3_1 } from 'openapi-types';

/** The TypeScript types of an OpenAPI document (openapi-typescript), as src/generated/ holds them. */
export async function typesOf(document: OpenAPIV3_1.Document, service: string): Promise<string> {
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], { alphabetize: true, exportType: true });
  return `// Generated from ${service}'s OpenAPI document by \`pnpm --filter @gdhk/client generate\`. Do not edit.\n${astToString(ast)}`;
}
