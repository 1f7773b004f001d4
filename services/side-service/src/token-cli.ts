// `npm run token -- --side gd|hk|joint --role <role> [--department <name>] [--sub <user>] [--expires 8h]`
// Prints a development JWT on stdout, signed by the development issuer key in GDHK_KEYS_DIR, with
// the issuer and audience the services check (JWT_ISSUER, JWT_AUDIENCE).
import { parseArgs } from 'node:util';
import { ConfigError, parseConfig, tokenEnvironment } from '@gdhk/config';
import { Role } from '@gdhk/domain';
import { devAuthKeys, issueToken, tokenSideSchema } from '@gdhk/http';
import { z } from 'zod';

const usage = 'usage: npm run token -- --side gd|hk|joint --role staff|coordinator|secretariat|auditor [--department <name>] [--sub <user id>] [--expires 8h]';

const argsSchema = z
  .object({
    side: tokenSideSchema,
    role: Role,
    department: z.string().min(1).optional(),
    sub: z.string().min(1).optional(),
    expires: z.string().regex(/^\d+[smhd]$/, 'like 30m, 8h or 7d').default('8h'),
  })
  .superRefine((args, ctx) => {
    const joint = args.role === 'secretariat' || args.role === 'auditor';
    if (joint !== (args.side === 'joint')) {
      ctx.addIssue({ code: 'custom', path: ['side'], message: `${args.role} tokens are for side ${joint ? 'joint' : 'gd or hk'}` });
    }
    if (args.role === 'staff' && !args.department) {
      ctx.addIssue({ code: 'custom', path: ['department'], message: 'staff tokens need --department (staff act only on items assigned to it)' });
    }
  });

try {
  const env = parseConfig(tokenEnvironment, process.env);
  const { values } = parseArgs({
    options: {
      side: { type: 'string' },
      role: { type: 'string' },
      department: { type: 'string' },
      sub: { type: 'string' },
      expires: { type: 'string' },
    },
  });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('\n'));
    console.error(usage);
    process.exit(2);
  }
  const args = parsed.data;
  const { privateKey } = await devAuthKeys(env.GDHK_KEYS_DIR);
  const token = await issueToken(privateKey, {
    sub: args.sub ?? `${args.side}-${args.role}-1`,
    side: args.side,
    roles: [args.role],
    ...(args.department ? { department: args.department } : {}),
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    expiresIn: args.expires,
  });
  console.log(token);
} catch (error) {
  console.error(`token: ${error instanceof Error ? error.message : String(error)}`);
  if (!(error instanceof ConfigError)) console.error(usage);
  process.exit(2);
}
