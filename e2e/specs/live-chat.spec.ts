import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "../support/fixtures";

/** An agent user, invited through the API; returns their set-password link and a way to delete them. */
async function inviteAgent(request: APIRequestContext, email: string, name: string) {
  const res = await request.post("/api/v1/users", { data: { email, name, role: "agent" } });
  expect(res.status(), await res.text()).toBe(201);
  const body = (await res.json()) as { user: { id: string }; link: { url: string } };
  return { link: body.link.url, remove: () => request.delete(`/api/v1/users/${body.user.id}`) };
}

test("an end user asks for a person, an agent takes it live, they talk, the agent closes and the bot answers again", async ({
  page,
  browser,
  request,
  seed,
  sink,
}) => {
  // A whole support desk in one flow: an admin's set-up, an agent's browser and the end user's messages.
  test.slow();
  // A chatbot on an HTTP sender whose outbound URL is the sink: the agent's replies reach the "phone" there.
  const sender = await seed.sender({ provider: "http", settings: { outboundUrl: sink.url } } as never);
  const trigger = `HELP${Date.now() % 100000}`;
  const campaign = await seed.campaign({
    senderId: sender.id,
    name: `Support ${Date.now()}`,
    status: "active",
    triggerKeywords: [trigger],
  });
  const base = `/api/v1/campaigns/${campaign.id}`;
  const flow = await (await request.get(`${base}/flow`)).json();
  const [welcome, ...rest] = flow.nodes as { id: string }[];
  for (const n of rest) expect((await request.delete(`${base}/nodes/${n.id}`)).ok()).toBe(true);
  expect((await request.patch(`${base}/nodes/${welcome?.id}`, { data: { message: "Support here:" } })).ok()).toBe(true);
  const entry = await request.post(`${base}/nodes/${welcome?.id}/entries`, {
    data: { keyword: "1", menuText: "Talk to a person", redirectType: "live_chat" },
  });
  expect(entry.status(), await entry.text()).toBe(201);

  // An admin makes a team with the new agent in it.
  const email = `ana.${Date.now()}@example.com`;
  const invited = await inviteAgent(request, email, "Ana Agent");
  seed.later(invited.remove);
  const teamName = `Support ${Date.now()}`;
  await page.goto("/admin/teams");
  await page.getByRole("textbox", { name: "Team name" }).fill(teamName);
  await page.getByRole("button", { name: "Create team" }).click();
  await page
    .getByRole("combobox", { name: `Add a member to ${teamName}` })
    .selectOption({ label: "Ana Agent (Agent)" });
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByRole("list", { name: `Members of ${teamName}` })).toContainText("Ana Agent");
  seed.later(async () => {
    const teams = (await (await request.get("/api/v1/teams")).json()) as { items: { id: string; name: string }[] };
    const made = teams.items.find((t) => t.name === teamName);
    if (made) await request.delete(`/api/v1/teams/${made.id}`);
  });

  // The marketer sets the entry's Live Chat settings in its panel; a bad timeout is refused beside its field.
  await page.goto(`/campaigns/${campaign.id}`);
  const table = page
    .getByRole("region", { name: "Welcome Message" })
    .getByRole("table", { name: "Interactions of Welcome Message" });
  await table.getByRole("row", { name: "Entry 1" }).getByRole("button", { name: "Edit entry" }).click();
  const panel = page.getByRole("dialog", { name: "Edit Entry 1 of Welcome Message" });
  const liveChat = panel.getByRole("group", { name: "Live Chat" });
  await liveChat.getByRole("textbox", { name: "Hand-over message" }).fill("Ana or Ben will answer you here.");
  await liveChat.getByRole("spinbutton", { name: "Timeout (minutes)" }).fill("0");
  await expect(liveChat.getByText("The timeout is at least 1 minute.")).toBeVisible();
  await liveChat.getByRole("spinbutton", { name: "Timeout (minutes)" }).fill("15");
  await liveChat.getByRole("combobox", { name: "Team" }).selectOption({ label: teamName });
  await panel.getByRole("button", { name: "Save entry" }).click();
  await expect(panel).toBeHidden();
  expect((await request.post(`${base}/publish`)).status()).toBe(201);

  // The agent, in a browser of their own: sets a password by the invitation and lands in the inbox.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const ana = await context.newPage();
  await ana.goto(invited.link);
  await ana.getByLabel("New password").fill("ana's long passphrase");
  await ana.getByLabel("Repeat the password").fill("ana's long passphrase");
  await ana.getByRole("button", { name: "Set password" }).click();
  await expect(ana).toHaveURL(/\/inbox/);
  await expect(ana.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Inbox"]);
  await expect(ana.getByRole("status", { name: "Live updates" })).toHaveText("Live");

  // The admin watches the same inbox in the suite's browser.
  await page.goto("/inbox");
  await expect(page.getByRole("status", { name: "Live updates" })).toHaveText("Live");

  const phone = `+5255${String(Date.now()).slice(-8)}`;
  const say = async (text: string) => {
    const res = await request.post("/api/v1/messages/inbound", {
      data: { channel: "sms", from: phone, to: sender.address, text },
    });
    expect(res.status(), await res.text()).toBe(200);
    return (await res.json()) as { replies: { text: string }[] };
  };
  expect((await say(trigger)).replies[0]?.text).toContain("1. Talk to a person");
  expect((await say("1")).replies[0]?.text).toBe("Ana or Ben will answer you here.");

  // It arrives live in both inboxes, without a reload.
  const waitingRow = (p: typeof page) =>
    p.getByRole("table", { name: "Waiting conversations" }).getByRole("row").filter({ hasText: phone });
  await expect(waitingRow(ana)).toBeVisible();
  await expect(waitingRow(page)).toBeVisible();

  await waitingRow(ana).getByRole("button", { name: phone }).click();
  const conversation = ana.getByRole("region", { name: phone });
  const transcript = conversation.getByRole("list", { name: "Transcript" });
  await expect(transcript).toContainText("Talk to a person");
  await expect(transcript).toContainText("The chatbot handed the conversation over to Live Chat.");
  await conversation.getByRole("button", { name: "Take" }).click();
  await expect(transcript).toContainText("Ana Agent took the conversation.");
  // Taken: it leaves the admin's Waiting list live.
  await expect(waitingRow(page)).toHaveCount(0);

  // Enter sends; the reply goes out through the sender's channel.
  const reply = conversation.getByRole("textbox", { name: "Reply" });
  await reply.fill("Hi, I am Ana. How can I help?");
  await reply.press("Enter");
  await expect(transcript).toContainText("Hi, I am Ana. How can I help?");
  await expect(reply).toHaveValue("");
  // The sender's gateway (the sink) gets every message to the phone: the bot's, then the agent's.
  const texts = () => sink.received.map((m) => (m.json as { text?: string } | undefined)?.text);
  await expect.poll(texts).toContain("Hi, I am Ana. How can I help?");

  // The user's answer appears live, and the bot stays silent.
  expect((await say("My parcel is late")).replies).toEqual([]);
  await expect(transcript).toContainText("My parcel is late");

  // A reply over the channel's limit is refused beside the box.
  await reply.fill("x".repeat(1100));
  await expect(conversation.getByText("At most 1024 characters on this channel.")).toBeVisible();
  await reply.fill("");

  await conversation.getByRole("textbox", { name: "Closing message (optional)" }).fill("Sorted, bye!");
  await conversation.getByRole("button", { name: "Close conversation" }).click();
  await expect(
    ana.getByRole("table", { name: "Mine conversations" }).getByRole("row").filter({ hasText: phone }),
  ).toHaveCount(0);
  await expect.poll(texts).toContain("Sorted, bye!");

  // The bot answers the next message again.
  expect((await say(trigger)).replies[0]?.text).toContain("Support here:");
  await ana.getByRole("tab", { name: "Closed" }).click();
  await expect(
    ana.getByRole("table", { name: "Closed conversations" }).getByRole("row").filter({ hasText: phone }),
  ).toBeVisible();
  await context.close();
});
