import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createQueryClient } from "../src/app/query-client";
import { SenderForm } from "../src/features/senders/components/SenderForm";

const stored = {
  id: "0b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d",
  name: "WhatsApp main",
  channel: "whatsapp",
  address: "+525500000000",
  provider: "whatsapp_cloud",
  settings: { phoneNumberId: "106540352242922", businessAccountId: "102290129340398", verifyToken: "vt-1" },
  credentialsSet: ["accessToken", "appSecret"],
  optOut: {
    optOutKeywords: ["STOP", "BAJA"],
    optInKeywords: ["START"],
    helpKeywords: ["HELP"],
    optOutText: "Bye.",
    optInText: "Welcome back.",
    helpText: "Reply STOP to stop.",
  },
  inboundUrl: "http://localhost/api/v1/providers/whatsapp/0b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d",
  statusUrl: null,
  createdAt: "2026-11-26T00:00:00.000Z",
  updatedAt: "2026-11-26T00:00:00.000Z",
} as const;

function respond(status: number, body: unknown) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": status < 300 ? "application/json" : "application/problem+json" },
  });
}

describe("the sender form", () => {
  let sent: { method: string; url: string; body: unknown }[] = [];
  let answer: () => Response;
  beforeEach(() => {
    sent = [];
    answer = () => respond(201, stored);
    vi.stubGlobal("fetch", async (url: string, init?: RequestInit) => {
      sent.push({ method: init?.method ?? "GET", url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      return answer();
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  const renderForm = (sender?: typeof stored) =>
    render(
      <QueryClientProvider client={createQueryClient()}>
        {/* biome-ignore lint/suspicious/noExplicitAny: the fixture is the API's JSON, typed loosely */}
        <SenderForm sender={sender as any} />
      </QueryClientProvider>,
    );
  const add = () => userEvent.click(screen.getByRole("button", { name: "Add sender" }));
  const errorOf = (label: string) => {
    const input = screen.getByLabelText(label);
    const id = input.getAttribute("aria-describedby")?.split(" ")[0] ?? "";
    return document.getElementById(id)?.textContent;
  };

  it("asks Twilio SMS for the account SID and auth token, each message beside its field, sending nothing", async () => {
    renderForm();
    await userEvent.selectOptions(screen.getByLabelText("Provider"), "twilio_sms");
    expect(screen.queryByLabelText("Phone number id")).toBeNull();
    expect(screen.getByLabelText("Channel")).toHaveProperty("value", "sms");
    expect(screen.getByLabelText("Auth token")).toHaveProperty("type", "password");
    await userEvent.type(screen.getByLabelText("Name"), "Main SMS");
    await userEvent.type(screen.getByLabelText("Address"), "+525500000000");
    await userEvent.type(screen.getByLabelText("Account SID"), "AC123");
    await add();
    expect(errorOf("Account SID")).toBe("A Twilio Account SID is AC followed by 32 hexadecimal characters.");
    expect(errorOf("Auth token")).toBe("Auth token is required.");
    expect(errorOf("Address")).toBe("");
    expect(sent).toEqual([]);
  });

  it("takes Twilio WhatsApp's whatsapp:+… address and sends the WhatsApp channel", async () => {
    renderForm();
    await userEvent.selectOptions(screen.getByLabelText("Provider"), "twilio_whatsapp");
    await userEvent.type(screen.getByLabelText("Name"), "Main WA");
    await userEvent.type(screen.getByLabelText("Address"), "whatsapp:+525500000000");
    await userEvent.type(screen.getByLabelText("Account SID"), `AC${"a".repeat(32)}`);
    await userEvent.type(screen.getByLabelText("Auth token"), "tok");
    await add();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.body).toMatchObject({
      provider: "twilio_whatsapp",
      channel: "whatsapp",
      address: "whatsapp:+525500000000",
      settings: { accountSid: `AC${"a".repeat(32)}` },
      credentials: { authToken: "tok" },
    });
  });

  it("asks the WhatsApp Cloud API for its ids and secrets, digits only, and generates a blank verify token", async () => {
    renderForm();
    await userEvent.selectOptions(screen.getByLabelText("Provider"), "whatsapp_cloud");
    expect(screen.queryByLabelText("Account SID")).toBeNull();
    await userEvent.type(screen.getByLabelText("Name"), "Cloud");
    await userEvent.type(screen.getByLabelText("Address"), "+525500000000");
    await userEvent.type(screen.getByLabelText("Phone number id"), "12ab");
    await add();
    expect(errorOf("Phone number id")).toBe("Phone number ids are digits.");
    expect(errorOf("Business account id")).toBe("Business account id is required.");
    expect(errorOf("Access token")).toBe("Access token is required.");
    expect(errorOf("App secret")).toBe("App secret is required.");
    expect(errorOf("Verify token")).toBe("");
    expect(sent).toEqual([]);
    await userEvent.clear(screen.getByLabelText("Phone number id"));
    await userEvent.type(screen.getByLabelText("Phone number id"), "106540352242922");
    await userEvent.type(screen.getByLabelText("Business account id"), "102290129340398");
    await userEvent.type(screen.getByLabelText("Access token"), "EAAG");
    await userEvent.type(screen.getByLabelText("App secret"), "s3cret");
    await add();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.body).toMatchObject({ provider: "whatsapp_cloud", channel: "whatsapp" });
    expect(sent[0]?.body).toHaveProperty("settings.phoneNumberId", "106540352242922");
    expect(sent[0]?.body).not.toHaveProperty("settings.verifyToken");
  });

  it("says that WhatsApp templates are not supported, for WhatsApp providers only", async () => {
    renderForm();
    const note = /WhatsApp templates are not supported yet/;
    for (const [provider, shown] of [
      ["whatsapp_cloud", true],
      ["twilio_whatsapp", true],
      ["twilio_sms", false],
      ["http", false],
    ] as const) {
      await userEvent.selectOptions(screen.getByLabelText("Provider"), provider);
      expect(screen.queryByText(note) !== null, provider).toBe(shown);
    }
  });

  it("checks an HTTP sender's outbound URL and gateway headers", async () => {
    renderForm();
    await userEvent.type(screen.getByLabelText("Name"), "Gateway");
    await userEvent.type(screen.getByLabelText("Address"), "12");
    await userEvent.type(screen.getByLabelText("Outbound URL"), "ftp://gw.example.com");
    await userEvent.type(screen.getByLabelText("Outbound headers"), "Bad Name: x");
    await add();
    expect(errorOf("Address")).toBe("Address must be a phone number in international format, such as +525500000000.");
    expect(errorOf("Outbound URL")).toBe("Outbound URL must be an http(s) URL.");
    expect(errorOf("Outbound headers")).toBe("Header names are letters, digits and - only.");
    expect(sent).toEqual([]);
  });

  it("places the API's refusal beside its field", async () => {
    answer = () =>
      respond(400, {
        type: "/api/problems#validation",
        title: "Bad request",
        status: 400,
        detail: "x",
        errors: [{ path: "body.settings.phoneNumberId", code: "taken", message: "Another sender has this number id." }],
      });
    renderForm();
    await userEvent.selectOptions(screen.getByLabelText("Provider"), "whatsapp_cloud");
    await userEvent.type(screen.getByLabelText("Name"), "Cloud");
    await userEvent.type(screen.getByLabelText("Address"), "+525500000000");
    await userEvent.type(screen.getByLabelText("Phone number id"), "1");
    await userEvent.type(screen.getByLabelText("Business account id"), "2");
    await userEvent.type(screen.getByLabelText("Access token"), "a");
    await userEvent.type(screen.getByLabelText("App secret"), "b");
    await add();
    expect(await screen.findByText("Another sender has this number id.")).toBeTruthy();
    expect(errorOf("Phone number id")).toBe("Another sender has this number id.");
  });

  it("edits without showing credentials back: blank keeps them, and the opt-out keywords are an editable list", async () => {
    renderForm(stored);
    expect(screen.getByLabelText("Provider")).toHaveProperty("disabled", true);
    expect(screen.getByLabelText("Access token")).toHaveProperty("value", "");
    expect(screen.getByLabelText("Opt-out keywords")).toHaveProperty("value", "STOP, BAJA");
    await userEvent.clear(screen.getByLabelText("Opt-out keywords"));
    await userEvent.type(screen.getByLabelText("Opt-out keywords"), "STOP, ALTO");
    await userEvent.click(screen.getByRole("button", { name: "Save sender" }));
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    const patch = sent[0]?.body as { credentials: object; optOut: { optOutKeywords: string[]; optInText: string } };
    expect(sent[0]?.method).toBe("PATCH");
    expect(patch.credentials).toEqual({});
    expect(patch.optOut.optOutKeywords).toEqual(["STOP", "ALTO"]);
    expect(patch.optOut.optInText).toBe("Welcome back.");
  });
});
