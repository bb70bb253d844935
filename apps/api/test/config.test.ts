import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, ENV_VARIABLES, loadConfig } from "../src/config";

describe("configuration", () => {
  it("defaults to the embedded database in ./data on port 3000", () => {
    const config = loadConfig({}, "/srv/switchboard");
    expect(config.database).toEqual({ mode: "embedded", dataDir: path.resolve("/srv/switchboard", "data") });
    expect(config.port).toBe(3000);
    expect(config.host).toBe("127.0.0.1");
    expect(config.webhookPolicy).toEqual({ allowHttp: false });
  });

  it("uses PostgreSQL when DATABASE_URL is set, and treats empty variables as unset", () => {
    const config = loadConfig({
      DATABASE_URL: "postgresql://app:pw@db:5432/switchboard",
      REDIS_URL: "",
      DATA_DIR: "/var/lib/sb",
    });
    expect(config.database).toEqual({ mode: "postgres", url: "postgresql://app:pw@db:5432/switchboard", poolSize: 8 });
    expect(config.redisUrl).toBeNull();
  });

  it("refuses REDIS_URL without a PostgreSQL server: the embedded database serves one process", () => {
    expect(() => loadConfig({ REDIS_URL: "redis://127.0.0.1:6379" })).toThrow(/set DATABASE_URL too/);
    const config = loadConfig({
      REDIS_URL: "redis://127.0.0.1:6379",
      DATABASE_URL: "postgresql://app:pw@db:5432/switchboard",
    });
    expect(config.redisUrl).toBe("redis://127.0.0.1:6379");
  });

  it("caps webhooks in flight per endpoint, per host and in all, each cap within the next", () => {
    expect(loadConfig({}).webhookConcurrency).toEqual({ total: 256, perHost: 128, perEndpoint: 64 });
    expect(loadConfig({ WEBHOOK_HOST_CONCURRENCY: "16" }).webhookConcurrency).toEqual({
      total: 256,
      perHost: 16,
      perEndpoint: 16,
    });
    expect(loadConfig({ WEBHOOK_CONCURRENCY: "100" }).webhookConcurrency).toEqual({
      total: 100,
      perHost: 100,
      perEndpoint: 64,
    });
    expect(() => loadConfig({ WEBHOOK_HOST_CONCURRENCY: "0" })).toThrow(/WEBHOOK_HOST_CONCURRENCY/);
  });

  it("lists everything that is wrong, readably, without printing passwords", () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({
        PORT: "eighty",
        DATABASE_URL: "mysql://root:hunter2@db/x",
        ALLOW_HTTP_WEBHOOKS: "maybe",
        LOG_LEVEL: "loud",
      });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.problems).toEqual([
      'PORT: Must be a port number. (got "eighty")',
      'DATABASE_URL: Must start with postgresql:// or postgres://. (got "mysql://root:***@db/x")',
      'LOG_LEVEL: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent" (got "loud")',
      'ALLOW_HTTP_WEBHOOKS: Use true or false. (got "maybe")',
    ]);
    expect(error?.message).toContain("Switchboard cannot start: its configuration is not valid.\n  - PORT:");
    expect(error?.message).not.toContain("hunter2");
  });
});

describe(".env.example", () => {
  const example = readFileSync(path.resolve(import.meta.dirname, "../../../.env.example"), "utf8");
  const listed = new Map(
    example
      .split("\n")
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)] as const),
  );

  it("lists every variable the configuration reads, and nothing else", () => {
    expect([...listed.keys()].sort()).toEqual([...ENV_VARIABLES].sort());
  });

  it("holds values the configuration accepts as they stand", () => {
    const config = loadConfig(Object.fromEntries(listed), "/srv/switchboard");
    expect(config.database).toEqual({ mode: "embedded", dataDir: "/srv/switchboard/data" });
    expect(config.redisUrl).toBeNull();
  });
});
