import path from 'node:path';
import { z } from 'zod';
import { BridgeError } from './errors';

/**
 * The only reader of the environment. Everything else receives a `Config`.
 * A bad value stops startup with a message that names the variable and what it expects.
 */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(8080),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  QUESTIONNAIRES_DIR: z.string().min(1, 'must not be empty').default('questionnaires'),
  DEFAULT_QUESTIONNAIRE: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'must be a questionnaire id: lowercase letters, digits and "-"')
    .default('post-discharge'),
  DATA_DIR: z.string().min(1, 'must not be empty').default('data'),
});

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  logLevel: (typeof LOG_LEVELS)[number];
  questionnairesDir: string;
  defaultQuestionnaire: string;
  dataDir: string;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset" (docker-compose writes VAR= for blank values).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      return `${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
    });
    throw new BridgeError('CONFIG_INVALID', `invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    questionnairesDir: path.resolve(e.QUESTIONNAIRES_DIR),
    defaultQuestionnaire: e.DEFAULT_QUESTIONNAIRE,
    dataDir: path.resolve(e.DATA_DIR),
  };
}
