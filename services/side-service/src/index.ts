export { buildSideApp, type SideAppDeps } from './app.ts';
export { sideOpenApiDocument } from './openapi.ts';
