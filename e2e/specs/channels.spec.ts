import type { Sender } from "@switchboard/contracts/senders";
import { acceptedFor, FAKE_WHATSAPP, userSends } from "../support/fake-whatsapp";
import { expect, test } from "../support/fixtures";

test("an admin creates a WhatsApp Cloud API sender; a chatbot on it answers a WhatsApp user with reply buttons", async ({
  page,
  seed,
  sink,
  request,
}, testInfo) => {
  const name = `WhatsApp ${Date.now()}`;
  const address = `+5255${String(Date.now()).slice(-8)}`;

  // The admin adds the sender, its credentials write-only.
  await page.goto("/senders");
  const form = page.getByRole("form", { name: "Add a sender" });
  await form.getByLabel("Provider").selectOption({ label: "WhatsApp Cloud API" });
  await expect(form.getByLabel("Channel")).toHaveValue("whatsapp");
  await expect(form).toContainText("WhatsApp templates are not supported yet");
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Address").fill(address);
  await form.getByRole("button", { name: "Add sender" }).click();
  // Nothing is sent until the provider's own fields are there, each said beside its field.
  await expect(form.getByText("Phone number id is required.")).toBeVisible();
  await expect(form.getByText("Access token is required.")).toBeVisible();
  await form.getByLabel("Phone number id").fill(FAKE_WHATSAPP.phoneNumberId);
  await form.getByLabel("Business account id").fill(FAKE_WHATSAPP.businessAccountId);
  await form.getByLabel("Access token").fill(FAKE_WHATSAPP.accessToken);
  await form.getByLabel("App secret").fill(FAKE_WHATSAPP.appSecret);
  await form.getByRole("button", { name: "Add sender" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Sender ${name} added.` })).toBeVisible();

  const senders = (await (await request.get("/api/v1/senders")).json()) as { items: Sender[] };
  const sender = senders.items.find((s) => s.name === name);
  expect(sender?.provider).toBe("whatsapp_cloud");
  if (!sender?.inboundUrl) throw new Error("a WhatsApp Cloud API sender has an inbound URL");
  seed.later(() => request.delete(`/api/v1/senders/${sender.id}`));

  // Its page shows what to paste into Meta's console, and never the credentials unless an admin reveals them.
  await page.getByRole("table", { name: "Senders" }).getByRole("button", { name }).click();
  const dialog = page.getByRole("dialog", { name: `Sender ${name}` });
  await expect(dialog.getByRole("textbox", { name: "Inbound URL" })).toHaveValue(sender.inboundUrl);
  const verifyToken = await dialog.getByRole("textbox", { name: "Verify token" }).first().inputValue();
  expect(verifyToken.length).toBeGreaterThan(0);
  // The edit form's credential fields start blank: a stored credential is never shown back.
  await expect(dialog.getByLabel("Access token", { exact: true })).toHaveValue("");
  await dialog.getByRole("button", { name: "Reveal credentials" }).click();
  const revealed = dialog.getByRole("status", { name: "Revealed credentials" });
  await expect(revealed.getByRole("textbox", { name: "Access token" })).toHaveValue(FAKE_WHATSAPP.accessToken);
  await testInfo.attach("sender", { body: await page.screenshot(), contentType: "image/png" });
  await dialog.getByRole("button", { name: "Close" }).click();

  // Meta's verification handshake with that token.
  const challenge = await request.get(
    `${sender.inboundUrl}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(verifyToken)}&hub.challenge=1158201444`,
  );
  expect(await challenge.text()).toBe("1158201444");

  // A marketer's chatbot on the sender, published.
  const { campaign } = await seed.streamingChatbot(sink.url, sender);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Campaigns" }).click();
  const row = page.getByRole("row").filter({ hasText: campaign.name });
  await row.getByRole("button", { name: `Publish ${campaign.name}` }).click();
  await page
    .getByRole("dialog", { name: `Publish ${campaign.name}` })
    .getByRole("button", { name: "Publish" })
    .click();
  await expect(row).toContainText("Live v1");

  // The end user writes the trigger keyword on WhatsApp; the fake Cloud API receives the menu as reply buttons.
  const user = `5255${String(Date.now() + 1).slice(-8)}`;
  await userSends(sender.inboundUrl, user, { type: "text", text: { body: campaign.triggerKeywords[0] } });
  const [menu] = await acceptedFor(user, 1);
  expect(menu?.path).toBe(`/v23.0/${FAKE_WHATSAPP.phoneNumberId}/messages`);
  expect(menu?.body.type).toBe("interactive");
  expect(menu?.body.interactive?.type).toBe("button");
  expect(menu?.body.interactive?.body.text).toContain("Welcome to EliPackage");
  const buttons = menu?.body.interactive?.action.buttons ?? [];
  expect(buttons.map((b) => b.reply.title)).toEqual(["One month", "Six months", "One year"]);

  // A tap on "Six months" is the menu entry it names.
  const six = buttons[1]?.reply;
  await userSends(sender.inboundUrl, user, {
    type: "interactive",
    context: { from: "15550783881", id: menu?.id },
    interactive: { type: "button_reply", button_reply: six },
  });
  const [, answer] = await acceptedFor(user, 2);
  expect(answer?.body).toMatchObject({ type: "text", text: { body: "Six months it is!" } });

  // The conversation shows each message sent through the provider with its state.
  await row.getByRole("link", { name: `Conversations of ${campaign.name}` }).click();
  await page.getByRole("button", { name: `+${user}` }).click();
  const outbound = page.getByRole("list", { name: "Outbound messages" });
  const sent = outbound.getByRole("listitem").filter({ hasText: "Six months it is!" });
  await expect(sent).toContainText(/Sent|Delivered|Read/);
  await testInfo.attach("conversation", { body: await page.screenshot(), contentType: "image/png" });
});
