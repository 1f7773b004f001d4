// The benchmarks' environment (README, Configuration), parsed once like every process's: a bad
// value stops the bench with the variable's name. The services a bench starts inherit the same
// environment, so its tokens carry the JWT_ISSUER / JWT_AUDIENCE they check.
import { benchEnvironment, parseConfig } from '@gdhk/config';

export const benchEnv = parseConfig(benchEnvironment, process.env);
