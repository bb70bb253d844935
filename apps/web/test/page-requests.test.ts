import { QueryClient } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import { requestFirstPage } from "../src/app/page-requests";

describe("the first page's requests", () => {
  afterEach(() => vi.unstubAllGlobals());

  const requested = (pathname: string) => {
    const fetch = vi.fn(async () => new Response("{}", { status: 200 }));
    vi.stubGlobal("fetch", fetch);
    requestFirstPage(new QueryClient(), pathname);
    return fetch.mock.calls.map((call) => String((call as unknown[])[0]));
  };

  it("starts the session and the editor's campaign, flow and Redirect To choices on a chatbot's address", () => {
    expect(requested("/campaigns/7").sort()).toEqual(
      ["/api/v1/auth/me", "/api/v1/campaigns/7", "/api/v1/campaigns/7/flow", "/api/v1/campaigns?limit=200"].sort(),
    );
  });

  it("starts only the session on other signed-in pages, and nothing on the signed-out ones", () => {
    expect(requested("/campaigns")).toEqual(["/api/v1/auth/me"]);
    expect(requested("/campaigns/7/report")).toEqual(["/api/v1/auth/me"]);
    expect(requested("/sign-in")).toEqual([]);
    expect(requested("/set-password")).toEqual([]);
  });
});
