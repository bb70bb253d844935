import { pino } from "pino";

export type Logger = pino.Logger;

/**
 * Structured JSON logs. Request logs carry method, path, status and timing only: never headers or bodies, which may
 * hold customers' webhook secrets and end users' messages.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "switchboard-api" },
    redact: {
      // A safety net should anyone log an object with these fields.
      paths: ["*.headers", "*.value", "*.password", "*.authorization", "*.cookie", "headers", "value"],
      censor: "[redacted]",
    },
  });
}
