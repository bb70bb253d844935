import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createQueryClient } from "../src/app/query-client";
import { ConversationView } from "../src/features/live-chat/components/ConversationView";
import { currentToasts, dismissToast } from "../src/lib/toasts";

/** What a screen reader reads after the control's name: the elements its aria-describedby names. */
const description = (el: HTMLElement) =>
  (el.getAttribute("aria-describedby") ?? "")
    .split(/\s+/)
    .map((id) => document.getElementById(id)?.textContent ?? "")
    .join(" ");

const ID = "00000000-0000-4000-8000-0000000000c1";
const ME = { userId: "00000000-0000-4000-8000-0000000000a1", name: "Ben Agent" };
const ANA = { userId: "00000000-0000-4000-8000-0000000000a2", name: "Ana Agent" };

function respond(status: number, body: unknown) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": status < 300 ? "application/json" : "application/problem+json" },
  });
}

const problem = (status: number, code: string, detail: string) => ({
  type: `/api/problems#${code}`,
  title: "Refused",
  status,
  code,
  detail,
});

function conversation(over: Record<string, unknown> = {}) {
  return {
    id: ID,
    state: "assigned",
    phoneNumber: "+525512345678",
    contactName: null,
    campaign: { id: 7, name: "Support desk" },
    provider: "whatsapp",
    team: null,
    agent: ME,
    lastMessage: "Where is my parcel?",
    waitingSince: "2026-11-27T01:00:00.000Z",
    waitSeconds: 30,
    unread: 0,
    updatedAt: "2026-11-27T01:00:30.000Z",
    closedAt: null,
    transcript: [
      { id: "t1", kind: "bot", text: "Support here: 1. Talk to a person", at: "2026-11-27T01:00:00.000Z" },
      { id: "t2", kind: "user", text: "1", at: "2026-11-27T01:00:01.000Z" },
      { id: "t3", kind: "system", text: "The chatbot handed the conversation over.", at: "2026-11-27T01:00:02.000Z" },
      {
        id: "t4",
        kind: "agent",
        text: "Hi, I am Ben.",
        at: "2026-11-27T01:00:20.000Z",
        agent: ME,
        delivery: { id: "00000000-0000-4000-8000-0000000000d1", state: "delivered", reason: null },
      },
    ],
    attributes: { city: "Puebla" },
    optedOut: false,
    whatsappWindow: { open: true, closesAt: "2026-11-28T01:00:01.000Z" },
    replyMax: 20,
    ...over,
  };
}

describe("a Live Chat conversation", () => {
  let current: ReturnType<typeof conversation>;
  let posts: { path: string; body: unknown }[];
  let answer: ((path: string) => Response | undefined) | undefined;
  beforeEach(() => {
    posts = [];
    answer = undefined;
    for (const t of currentToasts()) dismissToast(t.id);
    vi.stubGlobal("fetch", async (url: string, init?: RequestInit) => {
      if (init?.method === "POST") {
        const path = url.replace(`/api/v1/inbox/${ID}/`, "");
        posts.push({ path, body: init.body ? JSON.parse(String(init.body)) : undefined });
        const given = answer?.(path);
        if (given) return given;
        return respond(201, { id: "t9", kind: "agent", text: "ok", at: "2026-11-27T01:01:00.000Z" });
      }
      if (url === `/api/v1/inbox/${ID}`) return respond(200, current);
      if (url === "/api/v1/inbox/agents") return respond(200, { items: [], total: 0 });
      if (url === "/api/v1/teams") return respond(200, { items: [], total: 0 });
      return respond(404, problem(404, "not_found", "No such thing."));
    });
  });

  const show = () =>
    render(
      <QueryClientProvider client={createQueryClient()}>
        <ConversationView id={ID} me={ME} onTaken={() => {}} onClosed={() => {}} />
      </QueryClientProvider>,
    );

  it("shows the whole transcript, each kind told apart, and an agent reply's delivery state", async () => {
    current = conversation();
    show();
    const transcript = await screen.findByRole("list", { name: "Transcript" });
    const items = within(transcript).getAllByRole("listitem");
    expect(items.map((i) => i.textContent?.slice(0, 5))).toEqual(["BotSu", "User1", "Event", "Ben A"]);
    expect(items[3]?.textContent).toContain("Delivered");
    expect(screen.getByRole("term").textContent).toBe("city");
    expect(screen.getByText(/Support desk/)).toBeTruthy();
    expect(screen.getByRole("note").textContent).toMatch(/24-hour window is open until/);
  });

  it("sends on Enter, starts a new line on Shift+Enter, and counts against the channel's limit", async () => {
    current = conversation();
    show();
    const box = await screen.findByRole("textbox", { name: "Reply" });
    await userEvent.type(box, "Hello{Shift>}{Enter}{/Shift}there");
    expect(posts).toEqual([]);
    expect(box).toHaveProperty("value", "Hello\nthere");
    expect(screen.getByText("11 / 20")).toBeTruthy();
    await userEvent.type(box, "{Enter}");
    await waitFor(() => expect(posts).toEqual([{ path: "reply", body: { text: "Hello\nthere" } }]));
    await waitFor(() => expect(box).toHaveProperty("value", ""));
  });

  it("shows the API's refusal beside the reply box, without a toast, and keeps the text", async () => {
    current = conversation();
    answer = (path) =>
      path === "reply"
        ? respond(
            409,
            problem(409, "outside-whatsapp-window", "WhatsApp's 24-hour window closed: the user must write first."),
          )
        : undefined;
    show();
    const box = await screen.findByRole("textbox", { name: "Reply" });
    await userEvent.type(box, "Still there?{Enter}");
    await waitFor(() =>
      expect(description(box)).toMatch(/WhatsApp's 24-hour window closed: the user must write first\./),
    );
    expect(box).toHaveProperty("value", "Still there?");
    expect(currentToasts().filter((t) => t.kind === "error")).toEqual([]);
  });

  it("refuses a reply over the limit before sending it", async () => {
    current = conversation();
    show();
    const box = await screen.findByRole("textbox", { name: "Reply" });
    await userEvent.type(box, "x".repeat(21));
    expect(description(box)).toMatch(/At most 20 characters on this channel\./);
    await userEvent.type(box, "{Enter}");
    expect(posts).toEqual([]);
  });

  it("disables the box with the reason when the number opted out", async () => {
    current = conversation({ optedOut: true });
    show();
    const box = await screen.findByRole("textbox", { name: "Reply" });
    expect(box).toHaveProperty("disabled", true);
    expect(description(box)).toMatch(/This number opted out: replies are not possible\./);
  });

  it("disables the box with the reason when WhatsApp's 24-hour window is closed", async () => {
    current = conversation({ whatsappWindow: { open: false, closesAt: null } });
    show();
    const box = await screen.findByRole("textbox", { name: "Reply" });
    expect(box).toHaveProperty("disabled", true);
    expect(description(box)).toMatch(/Outside WhatsApp's 24-hour window/);
  });

  it("tells who has it when another agent took it first, and keeps saying so once the conversation is refreshed", async () => {
    current = conversation({ state: "waiting", agent: null });
    answer = (path) => {
      if (path !== "take") return undefined;
      current = conversation({ agent: ANA });
      return respond(409, problem(409, "live-chat-taken", "Ana Agent has already taken this conversation."));
    };
    show();
    await userEvent.click(await screen.findByRole("button", { name: "Take" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Ana Agent has already taken this conversation.");
    // The refreshed conversation is Ana's: the Take button is gone, the reason stays.
    await screen.findByText("Ana Agent has this conversation.");
    expect(screen.queryByRole("button", { name: "Take" })).toBeNull();
    expect(screen.getByRole("alert").textContent).toBe("Ana Agent has already taken this conversation.");
    expect(currentToasts().filter((t) => t.kind === "error")).toEqual([]);
  });

  it("offers Take again when the agent who had it was deleted", async () => {
    current = conversation({ agent: null });
    show();
    await userEvent.click(await screen.findByRole("button", { name: "Take" }));
    await waitFor(() => expect(posts.map((p) => p.path)).toEqual(["take"]));
  });
});
