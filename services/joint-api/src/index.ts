export { buildJointApp, type JointAppDeps } from './app.ts';
export { jointOpenApiDocument } from './openapi.ts';
