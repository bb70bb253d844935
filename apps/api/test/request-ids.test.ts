import { Writable } from "node:stream";
import express from "express";
import { pino } from "pino";
import supertest from "supertest";
import { describe, expect, it } from "vitest";
import { problemHandler } from "../src/http/problem";
import { loggablePath, loggerOf, requestIds, requestLog } from "../src/http/request-log";

function appWithLogs() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: "info" },
    new Writable({
      write(chunk, _enc, done) {
        for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    }),
  );
  const app = express();
  app.use(requestIds());
  app.use(requestLog(logger, loggablePath(["/work", "/broken"]), () => false));
  app.get("/work", (req, res) => {
    loggerOf(req, logger).info("doing the work");
    res.json({ ok: true });
  });
  app.get("/broken", () => {
    throw new Error("boom");
  });
  app.use(problemHandler(logger));
  return { app, lines };
}

describe("request ids", () => {
  it("keeps the caller's X-Request-Id, returns it, and writes it on every line logged for the request", async () => {
    const { app, lines } = appWithLogs();
    const res = await supertest(app).get("/work").set("X-Request-Id", "abc-123.retry:2");
    expect(res.headers["x-request-id"]).toBe("abc-123.retry:2");
    expect(lines.map((l) => [l.msg, l.reqId])).toEqual([
      ["doing the work", "abc-123.retry:2"],
      ["request", "abc-123.retry:2"],
    ]);
    // The id only: never the request's headers.
    expect(JSON.stringify(lines)).not.toContain("x-request-id");
  });

  it("makes an id when none is given or the given one is not a plain token, and a new one per request", async () => {
    const { app, lines } = appWithLogs();
    const first = await supertest(app).get("/work");
    const forged = await supertest(app).get("/work").set("X-Request-Id", 'x"} {"level":60');
    const ids = [first.headers["x-request-id"], forged.headers["x-request-id"]];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
    expect(lines.filter((l) => l.msg === "request").map((l) => l.reqId)).toEqual(ids);
  });

  it("puts the id on an unexpected error's log line and on the problem's response", async () => {
    const { app, lines } = appWithLogs();
    const res = await supertest(app).get("/broken").set("X-Request-Id", "trace-9");
    expect(res.status).toBe(500);
    expect(res.headers["x-request-id"]).toBe("trace-9");
    expect(lines.find((l) => l.msg === "unhandled error")).toMatchObject({ reqId: "trace-9", level: 50 });
  });
});
