import openapiTS, { astToString } from 'openapi-typescript';
import type { OpenAPIV3_1 } from 'openapi-types';

export const GENERATED_HEADER = '// Generated from joint-api\'s OpenAPI document by `pnpm --filter @gdhk/client generate`. Do not edit.\n';

/** The TypeScript types of an OpenAPI document (openapi-typescript), as the committed file holds them. */
export async function typesOf(document: OpenAPIV3_1.Document): Promise<string> {
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], { alphabetize: true, exportType: true });
  return `${GENERATED_HEADER}${astToString(ast)}`;
}
