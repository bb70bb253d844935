import { pino } from "pino";

export type Logger = pino.Logger;

/**
 * Structured JSON logs. Request logs carry method, path, status and timing only: never headers or bodies, which may
 * hold customers' webhook secrets and end users' messages.
 */
export function createLogger(level: string, options: { pretty?: boolean } = {}): Logger {
  return pino({
    // `pnpm dev` (NODE_ENV=development): lines a person reads, through pino-pretty in a worker thread. Otherwise JSON.
    ...(options.pretty ? { transport: { target: "pino-pretty", options: { translateTime: "HH:MM:ss.l" } } } : {}),
    level,
    base: { service: "switchboard-api" },
    redact: {
      // A safety net should anyone log an object with these fields.
      paths: ["*.headers", "*.value", "*.password", "*.authorization", "*.cookie", "headers", "value"],
      censor: "[redacted]",
    },
  });
}
