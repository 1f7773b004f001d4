export { createHttpApp, createLogger, serve, type HttpApp, type HttpAppOptions } from './platform.ts';
export { HttpProblem, installProblemHandler, problemSchema, problemType, type Problem } from './problem.ts';
export { healthPlugin, type ReadinessCheck, type ReadinessOptions } from './health.ts';
export { metricsPlugin } from './metrics.ts';
export { authPlugin, requireRole, roleSchema, JWT_ALGORITHM, type AuthOptions, type Principal, type Role } from './auth.ts';
export { devAuthKeys, issueToken, type DevAuthKeys, type TokenRequest } from './dev-keys.ts';
