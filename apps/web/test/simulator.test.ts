import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { editsSaved } from "../src/features/editor/api/simulator";

describe("the live preview's messages", () => {
  it("wait for the edits being saved, so they play the draft the marketer sees", async () => {
    const client = new QueryClient();
    let finishSave = () => {};
    const save = client
      .getMutationCache()
      .build(client, { mutationFn: () => new Promise<void>((resolve) => (finishSave = resolve)) })
      .execute(undefined);
    const order: string[] = [];
    const waiting = editsSaved(client).then(() => order.push("message sent"));
    await new Promise((r) => setTimeout(r, 100));
    order.push("edit saved");
    finishSave();
    await save;
    await waiting;
    expect(order).toEqual(["edit saved", "message sent"]);
  });

  it("do not wait for other preview messages, nor when nothing is being saved", async () => {
    const client = new QueryClient();
    client
      .getMutationCache()
      .build(client, { mutationKey: ["simulator", 1], mutationFn: () => new Promise<void>(() => {}) })
      .execute(undefined);
    const order: string[] = [];
    const timer = new Promise((r) => setTimeout(r, 50)).then(() => order.push("a moment later"));
    await editsSaved(client, 5_000).then(() => order.push("message sent"));
    await timer;
    expect(order).toEqual(["message sent", "a moment later"]);
  });
});
