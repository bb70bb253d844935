import express from "express";
import supertest from "supertest";
import { describe, expect, it } from "vitest";
import { onlyUnder } from "../src/http/only-under";

function app() {
  const entered: string[] = [];
  const named = (name: string) => {
    const router = express.Router();
    router.use((req, _res, next) => {
      entered.push(`${name} ${req.url}`);
      next();
    });
    router.get("/a/hello", (_req, res) => {
      res.send(`${name} says hello`);
    });
    return router;
  };
  const app = express();
  app.use(onlyUnder({ "/a/": named("a"), "/b.csv": named("b") }));
  app.get(/.*/, (req, res) => {
    res.send(`fell through ${req.url}`);
  });
  return { app, entered };
}

describe("onlyUnder", () => {
  it("hands a request to the router of its prefix, ignoring case as Express's routes do", async () => {
    const { app: a, entered } = app();
    expect((await supertest(a).get("/a/hello")).text).toBe("a says hello");
    expect((await supertest(a).get("/A/Hello")).text).toBe("a says hello");
    expect((await supertest(a).get("/b.csv?x=1")).text).toBe("fell through /b.csv?x=1");
    expect(entered).toEqual(["a /a/hello", "a /A/Hello", "b /b.csv?x=1"]);
  });

  it("passes every other request on without entering any router", async () => {
    const { app: a, entered } = app();
    expect((await supertest(a).get("/api/v1/messages/inbound")).text).toBe("fell through /api/v1/messages/inbound");
    expect((await supertest(a).get("/ab/hello")).text).toBe("fell through /ab/hello");
    expect(entered).toEqual([]);
  });
});
