import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from '../http/client-address.ts';

const DEFAULT_KNOWLEDGE_DIR = fileURLToPath(new URL('../../knowledge', import.meta.url));
const DEFAULT_INTENTS_DIR = fileURLToPath(new URL('../../intents', import.meta.url));
const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../../.cache/nlu', import.meta.url));
const DEFAULT_ACCOUNTS_FILE = fileURLToPath(new URL('../../.data/agent-accounts.json', import.meta.url));
const DEFAULT_ZALO_TOKENS_FILE = fileURLToPath(new URL('../../.data/zalo-tokens.json', import.meta.url));
const DEFAULT_RECORDS_DIR = fileURLToPath(new URL('../../.data/records', import.meta.url));
const DEFAULT_UNANSWERED_FILE = fileURLToPath(new URL('../../.data/unanswered-questions.jsonl', import.meta.url));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KNOWLEDGE_DIR: z.string().min(1).default(DEFAULT_KNOWLEDGE_DIR),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  RECORDS_DIR: z.string().min(1).default(DEFAULT_RECORDS_DIR),
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  RECORDS_CLAIM_IDLE_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  INTENTS_DIR: z.string().min(1).default(DEFAULT_INTENTS_DIR),
  NLU_MODEL_DIR: z.string().min(1).default(DEFAULT_MODEL_DIR),
  STATE_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\w:.-]*$/, 'letters, digits and : . - _ only')
    .default('khcc:'),
  WEBCHAT_TOKEN_SECRET: z.string().min(32, 'at least 32 characters (e.g. `openssl rand -base64 48`)').optional(),
  AGENT_ACCOUNTS_FILE: z.string().min(1).default(DEFAULT_ACCOUNTS_FILE),
  UNANSWERED_FILE: z.string().min(1).default(DEFAULT_UNANSWERED_FILE),
  AGENT_SESSION_HOURS: z.coerce
    .number()
    .min(0.0001)
    .max(24 * 30)
    .default(12),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value, ctx) => {
      try {
        return parseTrustProxy(value);
      } catch (err) {
        ctx.addIssue({
          code: 'custom',
          message: err instanceof Error ? err.message : 'not a proxy count or address list',
        });
        return z.NEVER;
      }
    }),
  WEBCHAT_ALLOWED_ORIGINS: z
    .string()
    .default('*')
    .transform((value, ctx) => {
      const origins = value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      for (const origin of origins) {
        if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin))
          ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin like https://example.gov.vn` });
      }
      return origins.includes('*') ? ('*' as const) : origins;
    }),
  FACEBOOK_APP_SECRET: z.string().min(8).optional(),
  FACEBOOK_VERIFY_TOKEN: z.string().min(8).optional(),
  FACEBOOK_PAGE_ACCESS_TOKEN: z.string().min(8).optional(),
  FACEBOOK_GRAPH_URL: z.string().url().default('https://graph.facebook.com'),
  FACEBOOK_GRAPH_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'like v25.0')
    .default('v25.0'),
  FACEBOOK_HUMAN_AGENT_TAG: z.enum(['true', 'false']).default('false'),
  ZALO_APP_ID: z.string().regex(/^\d+$/, 'digits').optional(),
  ZALO_APP_SECRET: z.string().min(8).optional(),
  ZALO_OA_SECRET_KEY: z.string().min(8).optional(),
  ZALO_OPENAPI_URL: z.string().url().default('https://openapi.zalo.me'),
  ZALO_OAUTH_URL: z.string().url().default('https://oauth.zaloapp.com'),
  ZALO_REDIRECT_URI: z.string().url().optional(),
  ZALO_TOKENS_FILE: z.string().min(1).default(DEFAULT_ZALO_TOKENS_FILE),
  DOSSIER_API_URL: z.string().url().optional(),
  DOSSIER_API_TOKEN: z.string().min(1).optional(),
  DOSSIER_API_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3000),
  DOSSIER_VERIFY_PHONE: z.enum(['true', 'false']).default('true'),
  DOSSIER_POLL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
});

export type AppConfig = {
  port: number;
  host: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  knowledgeDir: string;
  redisUrl: string | undefined;
  /** The records' PostgreSQL; without it, an embedded PostgreSQL (PGlite) in `recordsDir`. */
  databaseUrl: string | undefined;
  recordsDir: string;
  /** Transcripts and personal fields older than this are purged (aggregates stay). */
  retentionDays: number;
  recordsClaimIdleMs: number;
  /** Prometheus metrics on their own port (bound to `metricsHost`, loopback by default); off when unset. */
  metricsPort: number | undefined;
  metricsHost: string;
  shutdownTimeoutMs: number;
  intentsDir: string;
  modelDir: string;
  stateTtlSeconds: number;
  redisKeyPrefix: string;
  /** Signs webchat conversation tokens; when unset, one is made and kept in the state store. */
  webchatTokenSecret: string | undefined;
  /** Agent accounts when there is no Redis (with Redis they live there, shared by every process). */
  agentAccountsFile: string;
  /** Unanswered questions when there is no Redis (with Redis they are a list there). */
  unansweredFile: string;
  agentSessionSeconds: number;
  /** The proxies in front that may name the client (X-Forwarded-For) and the scheme (X-Forwarded-Proto, for Secure cookies). */
  trustProxy: TrustProxy;
  /** Pages that may embed the chatbox and use its HTTP fallback (CORS), or any page ('*'). */
  webchatAllowedOrigins: '*' | string[];
  /** The Messenger channel, on only when its three secrets are set. */
  facebook: FacebookConfig | null;
  /** The Zalo OA channel, on only when its app id and two secrets are set. */
  zalo: ZaloConfig | null;
  dossier: DossierConfig;
};

interface DossierConfig {
  /** The one-stop system's base URL (the contract: adapters/one-stop/one-stop-api.openapi.yaml); unset: the demo dossiers. */
  apiUrl: string | undefined;
  apiToken: string | undefined;
  timeoutMs: number;
  /** Ask for the last 4 digits of the applicant's phone before the details. */
  verifyPhone: boolean;
  /** How often followed dossiers are checked for changes. */
  pollSeconds: number;
}

export interface ZaloConfig {
  appId: string;
  appSecret: string;
  oaSecretKey: string;
  openapiUrl: string;
  oauthUrl: string;
  /** Where Zalo sends the admin after granting access (registered in the Zalo app); needed by `zalo connect`. */
  redirectUri: string | undefined;
  /** The token pair when there is no Redis (with Redis it lives there, shared by every process). */
  tokensFile: string;
}

export interface FacebookConfig {
  appSecret: string;
  verifyToken: string;
  pageAccessToken: string;
  /** The Graph API base, overridable for tests. */
  graphUrl: string;
  graphVersion: string;
  /** Meta approved the HUMAN_AGENT tag: agents may answer up to 7 days after the user's last message. */
  humanAgentTag: boolean;
}

/** A configuration error lists every wrong variable, one per line, so an operator fixes them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(blankAsUnset);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (issue) => `${issue.path.join('.')}: ${issue.message} (got ${shown(String(issue.path[0]), env)})`,
      ),
    );
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    knowledgeDir: e.KNOWLEDGE_DIR,
    redisUrl: e.REDIS_URL,
    databaseUrl: e.DATABASE_URL,
    recordsDir: e.RECORDS_DIR,
    retentionDays: e.RETENTION_DAYS,
    recordsClaimIdleMs: e.RECORDS_CLAIM_IDLE_MS,
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    intentsDir: e.INTENTS_DIR,
    modelDir: e.NLU_MODEL_DIR,
    stateTtlSeconds: e.STATE_TTL_DAYS * 86_400,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    webchatTokenSecret: e.WEBCHAT_TOKEN_SECRET,
    agentAccountsFile: e.AGENT_ACCOUNTS_FILE,
    unansweredFile: e.UNANSWERED_FILE,
    agentSessionSeconds: Math.round(e.AGENT_SESSION_HOURS * 3600),
    trustProxy: e.TRUST_PROXY,
    webchatAllowedOrigins: e.WEBCHAT_ALLOWED_ORIGINS,
    facebook: facebookConfig(e),
    zalo: zaloConfig(e),
    dossier: {
      apiUrl: e.DOSSIER_API_URL,
      apiToken: e.DOSSIER_API_TOKEN,
      timeoutMs: e.DOSSIER_API_TIMEOUT_MS,
      verifyPhone: e.DOSSIER_VERIFY_PHONE === 'true',
      pollSeconds: e.DOSSIER_POLL_SECONDS,
    },
  };
}

function facebookConfig(e: z.infer<typeof EnvSchema>): FacebookConfig | null {
  const secrets = [e.FACEBOOK_APP_SECRET, e.FACEBOOK_VERIFY_TOKEN, e.FACEBOOK_PAGE_ACCESS_TOKEN];
  if (secrets.every((v) => v === undefined)) return null;
  if (secrets.some((v) => v === undefined)) {
    throw new ConfigError([
      'FACEBOOK_APP_SECRET, FACEBOOK_VERIFY_TOKEN and FACEBOOK_PAGE_ACCESS_TOKEN: set all three to turn Messenger on, or none',
    ]);
  }
  return {
    appSecret: e.FACEBOOK_APP_SECRET!,
    verifyToken: e.FACEBOOK_VERIFY_TOKEN!,
    pageAccessToken: e.FACEBOOK_PAGE_ACCESS_TOKEN!,
    graphUrl: e.FACEBOOK_GRAPH_URL.replace(/\/+$/, ''),
    graphVersion: e.FACEBOOK_GRAPH_VERSION,
    humanAgentTag: e.FACEBOOK_HUMAN_AGENT_TAG === 'true',
  };
}

function zaloConfig(e: z.infer<typeof EnvSchema>): ZaloConfig | null {
  const required = [e.ZALO_APP_ID, e.ZALO_APP_SECRET, e.ZALO_OA_SECRET_KEY];
  if (required.every((v) => v === undefined)) return null;
  if (required.some((v) => v === undefined)) {
    throw new ConfigError([
      'ZALO_APP_ID, ZALO_APP_SECRET and ZALO_OA_SECRET_KEY: set all three to turn Zalo on, or none',
    ]);
  }
  return {
    appId: e.ZALO_APP_ID!,
    appSecret: e.ZALO_APP_SECRET!,
    oaSecretKey: e.ZALO_OA_SECRET_KEY!,
    openapiUrl: e.ZALO_OPENAPI_URL,
    oauthUrl: e.ZALO_OAUTH_URL,
    redirectUri: e.ZALO_REDIRECT_URI,
    tokensFile: e.ZALO_TOKENS_FILE,
  };
}

/** A wrong value as the error shows it: secrets are never echoed. */
function shown(name: string, env: NodeJS.ProcessEnv): string {
  return /SECRET|TOKEN|PASSWORD|KEY/.test(name) ? 'a hidden value' : JSON.stringify(env[name]);
}
