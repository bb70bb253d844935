import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { adminQuery, testDatabases } from "./databases";

const ci = process.env.CI === "true";

describe("the services the suites run against", () => {
  it("include PostgreSQL exactly when CI or TEST_DATABASE_URL asks for it", () => {
    const names = testDatabases().map((t) => t.name);
    expect(names).toEqual(ci || process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"]);
  });

  // In CI every suite must run: a missing service fails here rather than leaving a suite unrun.
  if (ci) {
    it("has PostgreSQL on 127.0.0.1:5432", async () => {
      await expect(
        adminQuery(process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres", "SELECT 1"),
      ).resolves.toBeUndefined();
    });

    it("has Redis on 127.0.0.1:6379", async () => {
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(6379, "127.0.0.1", () => socket.write("PING\r\n"));
        socket.setTimeout(3000, () => reject(new Error("Redis did not answer on 127.0.0.1:6379")));
        socket.on("data", (data) => {
          resolve(data.toString());
          socket.end();
        });
        socket.on("error", (error) => reject(new Error(`Redis is not reachable on 127.0.0.1:6379: ${error.message}`)));
      });
      expect(reply).toBe("+PONG\r\n");
    });
  }
});
