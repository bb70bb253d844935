import path from "node:path";
import ipaddr from "ipaddr.js";
import { z } from "zod";

const flag = z
  .enum(["true", "false", "1", "0", "yes", "no"], { error: "Use true or false." })
  .transform((v) => v === "true" || v === "1" || v === "yes");

const postgresUrl = z
  .url({ error: "Must be a PostgreSQL URL such as postgresql://user:password@127.0.0.1:5432/switchboard." })
  .refine((v) => /^postgres(ql)?:\/\//.test(v), "Must start with postgresql:// or postgres://.");

const schema = z.object({
  NODE_ENV: z.enum(["production", "development", "test"]).default("production"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce
    .number({ error: "Must be a port number." })
    .int("Must be a whole number.")
    .min(0, "Must be between 0 and 65535.")
    .max(65535, "Must be between 0 and 65535.")
    .default(3000),
  // The delivery worker's /metrics and /health (pnpm start:worker), on HOST; 9464 is Prometheus exporters' custom.
  WORKER_PORT: z.coerce
    .number({ error: "Must be a port number." })
    .int("Must be a whole number.")
    .min(0, "Must be between 0 and 65535.")
    .max(65535, "Must be between 0 and 65535.")
    .default(9464),
  DATABASE_URL: postgresUrl.optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  REDIS_URL: z
    .url({ error: "Must be a Redis URL such as redis://127.0.0.1:6379." })
    .refine((v) => /^rediss?:\/\//.test(v), "Must start with redis:// or rediss://.")
    .optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ALLOW_HTTP_WEBHOOKS: flag.default(false),
  WEBHOOK_ALLOWED_CIDRS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((c) => c.trim())
        .filter(Boolean),
    )
    .refine(
      (cidrs) => cidrs.every((c) => ipaddr.isValidCIDR(c)),
      "Must be comma-separated CIDR ranges, such as 127.0.0.1/32,10.0.0.0/8.",
    ),
  DELIVERY_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
  WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(64),
  WEBHOOK_HOST_CONCURRENCY: z.coerce.number().int().min(1).max(10000).default(128),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(10000).default(256),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(8),
  SECRET_KEY: z
    .string()
    .refine(
      (v) => /^[0-9a-fA-F]{64}$/.test(v.trim()) || Buffer.from(v.trim(), "base64").length === 32,
      "Must be 32 bytes as 64 hex digits or base64 (openssl rand -hex 32).",
    )
    .optional(),
  ADMIN_EMAIL: z.email({ error: "Must be an email address." }).optional(),
  ADMIN_PASSWORD: z.string().min(12, "Must be at least 12 characters.").optional(),
  TRUST_PROXY: z.string().optional(),
  REPORT_EVENTS: z.enum(["on", "off"], { error: 'Must be "on" or "off".' }).default("on"),
  AUTH_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(20),
  REPORT_TIME_ZONE: z
    .string()
    .default("UTC")
    .refine(isTimeZone, 'Must be an IANA time zone such as "UTC" or "America/Mexico_City".'),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: "Must be the http(s) URL providers reach this installation at." })
    .optional(),
  TWILIO_API_BASE_URL: z.url({ protocol: /^https?$/ }).default("https://api.twilio.com"),
  WHATSAPP_API_BASE_URL: z.url({ protocol: /^https?$/ }).default("https://graph.facebook.com"),
  WHATSAPP_API_VERSION: z
    .string()
    .regex(/^v[0-9]+\.[0-9]+$/, "Must be a Graph API version such as v23.0.")
    .default("v23.0"),
});

/** Every variable the API and the worker read; `.env.example` lists each of them (a test holds it to this). */
export const ENV_VARIABLES: readonly string[] = Object.keys(schema.shape);

/** Never echoed in configuration errors. */
const SECRET_VARIABLES = new Set(["SECRET_KEY", "ADMIN_PASSWORD"]);

export type Env = z.input<typeof schema>;

export interface Config {
  env: "production" | "development" | "test";
  host: string;
  port: number;
  /** The delivery worker's HTTP port (/metrics, /health). */
  workerPort: number;
  database: { mode: "embedded"; dataDir: string } | { mode: "postgres"; url: string; poolSize: number };
  redisUrl: string | null;
  logLevel: string;
  webhookPolicy: { allowHttp: boolean };
  /**
   * Webhooks in flight at once: all endpoints together, to any one endpoint (a webhook URL: one slow or dead endpoint
   * cannot take every slot), and to any one host, its endpoints together (politeness; larger, so that an endpoint that
   * hangs leaves its neighbours on the same host slots of their own).
   */
  webhookConcurrency: { total: number; perHost: number; perEndpoint: number };
  /** How long a claimed delivery stays with the process that claimed it; past it, another may take it over. */
  deliveryLeaseMs: number;
  /** On SIGTERM or SIGINT, how long the requests under way may take to finish before they are cut. */
  shutdownGraceMs: number;
  /** Non-public address ranges webhooks may reach anyway (self-hosted receivers, tests on 127.0.0.1). */
  webhookAllowedCidrs: string[];
  /** Where the built SPA is, when it is served by the API. */
  webDist: string | null;
  /** The key that seals secret header values: SECRET_KEY, or a file in the data folder made on first start. */
  secretKey: { kind: "env"; value: string } | { kind: "file"; path: string };
  /** The first admin, when a new installation should not print a setup link. */
  firstAdmin: { email?: string; password?: string };
  /** The time zone whose midnights start the reports' days (an IANA name). */
  reportTimeZone: string;
  /** Sign-in, setup and set-password attempts per minute from one address. */
  authAttemptsPerMinute: number;
  /** Whether turns and attempts append report events; off only measures what the reports cost (bench:dispatch). */
  reportEvents: boolean;
  /** Express's "trust proxy" setting, for a TLS-terminating proxy in front (e.g. "loopback" or "1"). */
  trustProxy: string | null;
  /**
   * The providers: where their APIs are (tests and proxies point elsewhere), and the public URL they call us at; null:
   * the URL a request arrived at (wrong behind a proxy that rewrites it, where Twilio's signature covers the URL).
   */
  channels: ChannelsConfig;
}

export interface ChannelsConfig {
  publicUrl: string | null;
  twilioApiBaseUrl: string;
  whatsappApiBaseUrl: string;
  whatsappApiVersion: string;
}

export const defaultChannels: ChannelsConfig = {
  publicUrl: null,
  twilioApiBaseUrl: "https://api.twilio.com",
  whatsappApiBaseUrl: "https://graph.facebook.com",
  whatsappApiVersion: "v23.0",
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Switchboard cannot start: its configuration is not valid.\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Reads the configuration once; nothing else in the API reads process.env. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  // An empty variable means "not set", as most shells and .env tools write it.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = i.path.join(".");
        const got = present[name];
        return `${name}: ${i.message}${got === undefined || SECRET_VARIABLES.has(name) ? "" : ` (got "${name.endsWith("URL") ? redactUrl(got) : got}")`}`;
      }),
    );
  }
  const c = parsed.data;
  if (c.ADMIN_EMAIL && !c.ADMIN_PASSWORD) {
    throw new ConfigError(["ADMIN_PASSWORD: set it with ADMIN_EMAIL, or leave both out to get a one-time setup link."]);
  }
  if (c.REDIS_URL && !c.DATABASE_URL) {
    throw new ConfigError([
      "REDIS_URL: scale-out delivery needs a PostgreSQL server that every process shares; set DATABASE_URL too (the embedded database serves one process).",
    ]);
  }
  return {
    env: c.NODE_ENV,
    host: c.HOST,
    port: c.PORT,
    workerPort: c.WORKER_PORT,
    database: c.DATABASE_URL
      ? { mode: "postgres", url: c.DATABASE_URL, poolSize: c.DATABASE_POOL_SIZE }
      : { mode: "embedded", dataDir: path.resolve(cwd, c.DATA_DIR) },
    redisUrl: c.REDIS_URL ?? null,
    logLevel: c.LOG_LEVEL,
    webhookPolicy: { allowHttp: c.ALLOW_HTTP_WEBHOOKS },
    webhookAllowedCidrs: c.WEBHOOK_ALLOWED_CIDRS,
    deliveryLeaseMs: c.DELIVERY_LEASE_SECONDS * 1000,
    shutdownGraceMs: c.SHUTDOWN_GRACE_SECONDS * 1000,
    webhookConcurrency: {
      total: c.WEBHOOK_CONCURRENCY,
      perHost: Math.min(c.WEBHOOK_HOST_CONCURRENCY, c.WEBHOOK_CONCURRENCY),
      perEndpoint: Math.min(c.WEBHOOK_ENDPOINT_CONCURRENCY, c.WEBHOOK_HOST_CONCURRENCY, c.WEBHOOK_CONCURRENCY),
    },
    webDist: null,
    secretKey: c.SECRET_KEY
      ? { kind: "env", value: c.SECRET_KEY }
      : { kind: "file", path: path.join(path.resolve(cwd, c.DATA_DIR), "secret.key") },
    firstAdmin: { email: c.ADMIN_EMAIL, password: c.ADMIN_PASSWORD },
    trustProxy: c.TRUST_PROXY ?? null,
    reportTimeZone: c.REPORT_TIME_ZONE,
    authAttemptsPerMinute: c.AUTH_ATTEMPTS_PER_MINUTE,
    reportEvents: c.REPORT_EVENTS === "on",
    channels: {
      publicUrl: c.PUBLIC_URL?.replace(/\/+$/, "") ?? null,
      twilioApiBaseUrl: c.TWILIO_API_BASE_URL.replace(/\/+$/, ""),
      whatsappApiBaseUrl: c.WHATSAPP_API_BASE_URL.replace(/\/+$/, ""),
      whatsappApiVersion: c.WHATSAPP_API_VERSION,
    },
  };
}

/** For the entry points: the configuration, or the list of what is wrong on stderr and exit code 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Database URLs carry passwords; error messages show them without. */
export function redactUrl(value: string): string {
  return value.replace(/\/\/([^:/@]*):[^@/]*@/, "//$1:***@");
}
