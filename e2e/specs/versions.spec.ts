import type { Flow } from "@switchboard/contracts/flow";
import { expect, test } from "../support/fixtures";

test("nothing typed is lost, a refused publish points at each field, and Publish goes live in one step", async ({
  page,
  seed,
  request,
}) => {
  // The whole acceptance flow in one test: edits, publishes, a diff, a restore, an export and an import.
  test.slow();
  const campaign = await seed.campaign({ name: `Versions ${Date.now()}`, triggerKeywords: [`VER${Date.now() % 1e6}`] });
  expect(campaign.status).toBe("draft");
  await page.goto(`/campaigns/${campaign.id}`);
  const welcome = page.getByRole("region", { name: "Welcome Message" });

  // Typed, then the page reloads at once: the pause before saving has not passed, and nothing is lost.
  await welcome.getByRole("textbox", { name: "Message" }).fill("Hello there! Pick a plan:");
  await page.reload();
  await expect(welcome.getByRole("textbox", { name: "Message" })).toHaveValue("Hello there! Pick a plan:");
  await expect(page.getByRole("status").filter({ hasText: "All changes saved" })).toBeVisible();

  // An entry without a Redirect Type: Publish refuses, marks the field and lists it.
  await welcome.getByRole("button", { name: "Add entry to Welcome Message" }).click();
  const row = welcome.getByRole("row", { name: "Entry 1" });
  await expect(row).toBeVisible();
  await page.getByRole("button", { name: `Publish ${campaign.name}` }).click();
  // A Draft campaign: Publish asks whether to go live in the same step.
  const ask = page.getByRole("alertdialog", { name: `Publish ${campaign.name}` });
  await ask.getByRole("button", { name: "Publish and activate" }).click();
  const problems = page.getByRole("region", { name: "Problems" });
  const item = problems.getByRole("button", { name: "Welcome Message › 1: choose a Redirect Type." });
  await expect(item).toBeVisible();
  const type = row.getByRole("combobox", { name: "Redirect Type" });
  await expect(type).toHaveAttribute("aria-invalid", "true");
  await item.click();
  await expect(type).toBeFocused();

  // Fix every problem: the entry goes to Interaction 1, and each Interaction gets a message.
  await type.selectOption({ label: "Interaction" });
  await row.getByRole("combobox", { name: "Redirect To" }).selectOption({ label: "Interaction 1" });
  const flow = (await (await request.get(`/api/v1/campaigns/${campaign.id}/flow`)).json()) as Flow;
  for (const node of flow.nodes.filter((n) => n.kind === "interaction")) {
    const message = page.getByRole("region", { name: node.label }).getByRole("textbox", { name: "Message" });
    await message.fill(`You chose ${node.label}.`);
    await message.press("Tab");
  }
  await expect(page.getByRole("status").filter({ hasText: "All changes saved" })).toBeVisible();

  // Publish, and go live in the same step.
  await page.getByRole("button", { name: `Publish ${campaign.name}` }).click();
  await ask.getByRole("button", { name: "Publish and activate" }).click();
  await expect(page.getByText("Live v1", { exact: true })).toBeVisible();
  await expect(problems).toBeHidden();
  const after = await (await request.get(`/api/v1/campaigns/${campaign.id}`)).json();
  expect(after.status).toBe("active");

  // A change since publishing shows at a glance.
  const menuText = row.getByRole("textbox", { name: "Menu Text" });
  await menuText.fill("One month");
  await expect(page.getByText("Live v1 · 1 change since publish")).toBeVisible();

  // Published again with a note (the campaign is live: no question), then compared in words and rolled back.
  await page.getByRole("button", { name: `Publish ${campaign.name}` }).click();
  const again = page.getByRole("dialog", { name: `Publish ${campaign.name}` });
  await again.getByRole("textbox", { name: "Version note (optional)" }).fill("One month plan named");
  await again.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText("Live v2", { exact: true })).toBeVisible();
  await page.getByRole("link", { name: "Versions" }).click();
  const versions = page.getByRole("table", { name: "Versions" });
  await expect(versions.getByRole("row", { name: "Version 2" })).toContainText("Live");
  await expect(versions.getByRole("row", { name: "Version 2" })).toContainText("One month plan named");
  await expect(versions.getByRole("row", { name: "Version 1" })).toBeVisible();
  const compare = page.getByRole("form", { name: "Compare versions" });
  await compare.getByLabel("From").selectOption({ label: "Version 1" });
  await compare.getByLabel("To").selectOption({ label: "Version 2" });
  await compare.getByRole("button", { name: "Compare" }).click();
  await expect(page.getByRole("region", { name: "Changes" })).toContainText(/Menu Text set to .One month./);
  await expect(page.getByRole("region", { name: "Changes" })).toContainText("Version 2 note: One month plan named");
  await versions.getByRole("button", { name: "Restore version 1" }).click();
  await page
    .getByRole("alertdialog", { name: "Restore version 1?" })
    .getByRole("button", { name: "Restore version 1" })
    .click();
  await expect(page.getByRole("status").filter({ hasText: "Version 1 is the draft now" })).toBeVisible();
  await page.getByRole("link", { name: "Editor" }).click();
  await expect(row.getByRole("textbox", { name: "Menu Text" })).toHaveValue("");
  await expect(page.getByText(/^Live v2 · \d+ changes? since publish$/)).toBeVisible();

  // Exported, imported as a new campaign (the file's sender and nothing else to map), and played in the preview.
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export" }).click();
  const file = await (await download).path();
  await page.goto("/campaigns");
  await page.getByRole("link", { name: "Import" }).click();
  const form = page.getByRole("form", { name: "Import a chatbot" });
  await form.getByLabel("Chatbot file").setInputFiles(file);
  const importedName = `Imported ${Date.now()}`;
  await form.getByLabel("Name").fill(importedName);
  await expect(form.getByRole("button", { name: "Import as a new campaign" })).toBeEnabled();
  await form.getByRole("button", { name: "Import as a new campaign" }).click();
  await expect(page.getByRole("heading", { level: 1, name: importedName })).toBeVisible();
  const importedId = Number(page.url().split("/").at(-1));
  seed.later(() => request.delete(`/api/v1/campaigns/${importedId}`));
  const keyword = `IMP${Date.now() % 1e6}`;
  const patched = await request.patch(`/api/v1/campaigns/${importedId}`, { data: { triggerKeywords: [keyword] } });
  expect(patched.ok(), await patched.text()).toBe(true);
  await page.reload();
  const preview = page.getByRole("region", { name: "Live preview" });
  const say = async (text: string) => {
    await preview.getByRole("textbox", { name: "Message to the chatbot" }).fill(text);
    await preview.getByRole("button", { name: "Send message" }).click();
  };
  await say(keyword);
  await expect(preview.getByText(/Hello there! Pick a plan:/)).toBeVisible();
  await say("1");
  await expect(preview.getByText("You chose Interaction 1.")).toBeVisible();
});

test("a large chatbot reads through its outline: search jumps to a field, nodes collapse, deletion asks first", async ({
  page,
  seed,
}) => {
  const campaign = await seed.campaign({ name: `Outline ${Date.now()}` });
  await page.goto(`/campaigns/${campaign.id}`);
  const welcome = page.getByRole("region", { name: "Welcome Message" });
  const message = welcome.getByRole("textbox", { name: "Message" });
  await message.fill("Welcome to EliPackage");
  await message.press("Tab");

  const outline = page.getByRole("navigation", { name: "Outline" });
  await expect(outline.getByRole("button", { name: "Welcome Message" })).toBeVisible();
  await outline.getByRole("searchbox", { name: "Search messages, menu texts and URLs" }).fill("elipackage");
  await outline.getByRole("button", { name: "Welcome Message › Message" }).click();
  await expect(message).toBeFocused();
  await outline.getByRole("searchbox", { name: "Search messages, menu texts and URLs" }).fill("");

  await outline.getByRole("button", { name: "Collapse all" }).click();
  await expect(message).toBeHidden();
  await outline.getByRole("button", { name: "Welcome Message" }).click();
  await expect(message).toBeVisible();

  // A campaign made elsewhere (another tab) is offered in Redirect To when the editor is looked at again.
  await welcome.getByRole("button", { name: "Add entry to Welcome Message" }).click();
  const row = welcome.getByRole("row", { name: "Entry 1" });
  await row.getByRole("combobox", { name: "Redirect Type" }).selectOption({ label: "Campaign" });
  const other = await seed.campaign({ name: `Elsewhere ${Date.now()}`, type: "raffle_giveaway" });
  await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange", { bubbles: true })));
  await expect(
    row.getByRole("combobox", { name: "Redirect To" }).locator("option", { hasText: other.name }),
  ).toHaveCount(1);

  const second = page.getByRole("region", { name: "Interaction 2" });
  await outline.getByRole("button", { name: "Expand all" }).click();
  await second.getByRole("button", { name: "Delete Interaction 2" }).click();
  const question = page.getByRole("alertdialog", { name: "Delete Interaction 2?" });
  await question.getByRole("button", { name: "Keep it" }).click();
  await expect(second).toBeVisible();
  await second.getByRole("button", { name: "Delete Interaction 2" }).click();
  await question.getByRole("button", { name: "Delete Interaction 2" }).click();
  await expect(second).toBeHidden();
});

test("a new chatbot starts from a template and its editor opens", async ({ page, seed, request }) => {
  const sender = await seed.sender();
  await page.goto("/campaigns");
  await page.getByRole("link", { name: "New chatbot from template" }).click();
  const form = page.getByRole("form", { name: "New chatbot from template" });
  await form.getByRole("button", { name: "Create chatbot" }).click();
  await expect(form.getByText("Choose a template.")).toBeVisible();
  await form.getByRole("radio", { name: /Customer survey/ }).check();
  const name = `Survey ${Date.now()}`;
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Sender").selectOption(sender.id);
  await form.getByRole("button", { name: "Create chatbot" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  const id = Number(page.url().split("/").at(-1));
  seed.later(() => request.delete(`/api/v1/campaigns/${id}`));
  const flow = await (await request.get(`/api/v1/campaigns/${id}/flow`)).json();
  expect(flow.nodes.length).toBeGreaterThan(1);
});

test("two tabs never overwrite each other silently: the stale one is told and offered the newer version", async ({
  page,
  context,
  seed,
}) => {
  const campaign = await seed.campaign({ name: `Two tabs ${Date.now()}` });
  await page.goto(`/campaigns/${campaign.id}`);
  const other = await context.newPage();
  await other.goto(`/campaigns/${campaign.id}`);

  const first = page.getByRole("region", { name: "Welcome Message" }).getByRole("textbox", { name: "Message" });
  await first.fill("Written in the first tab");
  await first.press("Tab");
  await expect(page.getByRole("status").filter({ hasText: "All changes saved" })).toBeVisible();

  const second = other.getByRole("region", { name: "Interaction 1" }).getByRole("textbox", { name: "Message" });
  await second.fill("Written in the second tab");
  await second.press("Tab");
  const notice = other.getByRole("alert").filter({ hasText: "changed in another tab or by someone else" });
  await expect(notice).toBeVisible();
  // What the second tab typed is still there, and said not to be saved.
  await expect(second).toHaveValue("Written in the second tab");
  await expect(other.getByRole("status").filter({ hasText: "Some changes were not saved" })).toBeVisible();
  await notice.getByRole("button", { name: "Load the newer version" }).click();
  await expect(
    other.getByRole("region", { name: "Welcome Message" }).getByRole("textbox", { name: "Message" }),
  ).toHaveValue("Written in the first tab");
  await expect(second).toHaveValue("");
});
