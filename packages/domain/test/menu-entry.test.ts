import { describe, expect, it } from "vitest";
import { defaultLiveChatSettings, type LiveChatEntrySettings } from "../src/live-chat/settings";
import {
  type EntryContext,
  entryHasWebhook,
  type MenuEntry,
  validateMenuEntry,
  validateNodeKeywords,
  webhookToggleAvailable,
} from "../src/menu-entry";

const ctx: EntryContext = {
  nodeId: "welcome",
  nodeIds: new Set(["welcome", "n1", "n2"]),
  campaignIds: new Set(["13011"]),
  integrationIds: new Set(["crm"]),
  policy: { allowHttp: false },
};

const webhook = { url: "https://hooks.example.com/a", body: {}, headers: [] };

function entry(overrides: Partial<MenuEntry> = {}): MenuEntry {
  return {
    keyword: "1",
    menuText: "One month",
    redirectType: "interaction",
    redirectTo: "n1",
    attribute: null,
    webhookEnabled: false,
    webhook: null,
    ...overrides,
  };
}

const problems = (e: MenuEntry) => validateMenuEntry(e, ctx).map((i) => `${i.path.join(".")}:${i.code}`);

describe("a menu entry", () => {
  it("accepts a plain Interaction entry", () => {
    expect(problems(entry())).toEqual([]);
  });

  it("needs a keyword of letters or digits", () => {
    expect(problems(entry({ keyword: " " }))).toEqual(["keyword:required"]);
    expect(problems(entry({ keyword: "1." }))).toEqual(["keyword:invalid_keyword"]);
    expect(problems(entry({ keyword: "12345678901" }))).toEqual(["keyword:too_long"]);
    expect(problems(entry({ keyword: "ñ" }))).toEqual([]);
  });

  describe("with Redirect Type Webhook", () => {
    it("has no Menu Text and no Redirect To", () => {
      const issues = validateMenuEntry(entry({ redirectType: "webhook", webhook }), ctx);
      expect(issues).toEqual([
        {
          path: ["menuText"],
          code: "not_available",
          message: "Menu Text is not available when Redirect Type is Webhook.",
        },
        {
          path: ["redirectTo"],
          code: "not_available",
          message: "Redirect To is not available when Redirect Type is Webhook.",
        },
      ]);
    });
    it("is valid with a URL and nothing else", () => {
      expect(problems(entry({ redirectType: "webhook", menuText: null, redirectTo: null, webhook }))).toEqual([]);
    });
    it("needs a webhook URL", () => {
      expect(problems(entry({ redirectType: "webhook", menuText: null, redirectTo: null }))).toEqual([
        "webhook.url:required",
      ]);
    });
    it("has a webhook, shown by the link icon", () => {
      expect(entryHasWebhook({ redirectType: "webhook", webhookEnabled: false })).toBe(true);
    });
  });

  describe("the webhook toggle", () => {
    it("is off by default and can be switched on once Redirect Type and Redirect To are set", () => {
      expect(webhookToggleAvailable(entry())).toBe(true);
      expect(problems(entry({ webhookEnabled: true, webhook }))).toEqual([]);
      expect(entryHasWebhook(entry({ webhookEnabled: true }))).toBe(true);
      expect(entryHasWebhook(entry())).toBe(false);
    });
    it("cannot be on without a Redirect Type", () => {
      const issues = validateMenuEntry(
        entry({ redirectType: null, redirectTo: null, webhookEnabled: true, webhook }),
        ctx,
      );
      expect(issues).toEqual([
        {
          path: ["webhookEnabled"],
          code: "toggle_unavailable",
          message: "The webhook can be switched on only once Redirect Type and Redirect To are both set.",
        },
      ]);
    });
    it("cannot be on without a Redirect To", () => {
      expect(problems(entry({ redirectTo: null, webhookEnabled: true, webhook }))).toEqual([
        "webhookEnabled:toggle_unavailable",
      ]);
      expect(webhookToggleAvailable(entry({ redirectTo: null }))).toBe(false);
    });
    it("cannot be on for types without a Redirect To", () => {
      expect(webhookToggleAvailable({ redirectType: "live_chat", redirectTo: null })).toBe(false);
      expect(webhookToggleAvailable({ redirectType: "webhook", redirectTo: null })).toBe(false);
    });
    it("needs a webhook URL when on", () => {
      expect(problems(entry({ webhookEnabled: true }))).toEqual(["webhook.url:required"]);
    });
    it("keeps a configuration while off, still checked", () => {
      expect(problems(entry({ webhook }))).toEqual([]);
      expect(problems(entry({ webhook: { ...webhook, url: "http://x.example" } }))).toEqual([
        "webhook.url:insecure_scheme",
      ]);
    });
  });

  describe("Redirect To", () => {
    it("must be another node of this chatbot for Interaction", () => {
      expect(problems(entry({ redirectTo: "welcome" }))).toEqual(["redirectTo:self_redirect"]);
      expect(problems(entry({ redirectTo: "gone" }))).toEqual(["redirectTo:unknown_node"]);
    });
    it("must be an existing campaign for Campaign", () => {
      expect(problems(entry({ redirectType: "campaign", redirectTo: "13011" }))).toEqual([]);
      const [problem] = validateMenuEntry(entry({ redirectType: "campaign", redirectTo: "999" }), ctx);
      expect(problem?.message).toBe("Redirect To must be another existing campaign; campaign 999 does not exist.");
    });
    it("must be a saved integration for Integration", () => {
      expect(problems(entry({ redirectType: "integration", redirectTo: "crm" }))).toEqual([]);
      expect(problems(entry({ redirectType: "integration", redirectTo: "x" }))).toEqual([
        "redirectTo:unknown_integration",
      ]);
    });
    it("is not available for Live Chat", () => {
      expect(problems(entry({ redirectType: "live_chat", redirectTo: null }))).toEqual([]);
      expect(problems(entry({ redirectType: "live_chat", redirectTo: "n1" }))).toEqual(["redirectTo:not_available"]);
    });
    it("needs a Redirect Type first", () => {
      expect(problems(entry({ redirectType: null, redirectTo: "n1" }))).toEqual(["redirectTo:redirect_type_required"]);
    });
    it("may be left empty while drafting", () => {
      expect(problems(entry({ redirectTo: null }))).toEqual([]);
    });
  });

  describe("Attribute", () => {
    it("names the attribute and the node to continue to", () => {
      expect(problems(entry({ redirectType: "attribute", attribute: "first_name" }))).toEqual([]);
      expect(problems(entry({ redirectType: "attribute" }))).toEqual(["attribute:required"]);
      expect(problems(entry({ redirectType: "attribute", attribute: "1st name" }))).toEqual([
        "attribute:invalid_attribute",
      ]);
    });
    it("is refused on other types", () => {
      expect(problems(entry({ attribute: "x" }))).toEqual(["attribute:not_available"]);
    });
  });
});

describe("keywords within a node", () => {
  it("must be unique, ignoring case and surrounding spaces", () => {
    const issues = validateNodeKeywords([{ keyword: "1" }, { keyword: "a" }, { keyword: " A " }, { keyword: "1" }]);
    expect(issues).toEqual([
      {
        path: ["entries", 2, "keyword"],
        code: "duplicate_keyword",
        message: "Keyword A is already used by entry 2 of this node.",
      },
      {
        path: ["entries", 3, "keyword"],
        code: "duplicate_keyword",
        message: "Keyword 1 is already used by entry 1 of this node.",
      },
    ]);
  });
});

describe("Live Chat settings", () => {
  const liveChat = (over: Partial<LiveChatEntrySettings> = {}): LiveChatEntrySettings => ({
    ...defaultLiveChatSettings,
    teamId: "sales",
    onTimeout: { action: "bot", message: "Back to the menu.", nodeId: "n2" },
    ...over,
  });
  const live = (over: Partial<MenuEntry> = {}) =>
    entry({ redirectType: "live_chat", redirectTo: null, liveChat: liveChat(), ...over });
  const withTeams = (e: MenuEntry) =>
    validateMenuEntry(e, { ...ctx, teamIds: new Set(["sales"]) }).map((i) => `${i.path.join(".")}:${i.code}`);

  it("accepts a team that exists and a timeout that goes back to a node of this chatbot", () => {
    expect(withTeams(live())).toEqual([]);
    expect(
      withTeams(live({ liveChat: liveChat({ teamId: null, onTimeout: { action: "end", message: "Bye." } }) })),
    ).toEqual([]);
  });

  it("refuses a team that does not exist, and checks none when the caller does not know the teams", () => {
    expect(withTeams(live({ liveChat: liveChat({ teamId: "gone" }) }))).toEqual(["liveChat.teamId:unknown_team"]);
    expect(problems(live({ liveChat: liveChat({ teamId: "gone" }) }))).toEqual([]);
  });

  it("refuses a timeout node that is not part of this chatbot", () => {
    const issues = validateMenuEntry(
      live({ liveChat: liveChat({ onTimeout: { action: "bot", message: "Back.", nodeId: "elsewhere" } }) }),
      ctx,
    );
    expect(issues).toEqual([
      {
        path: ["liveChat", "onTimeout", "nodeId"],
        code: "unknown_node",
        message: "On timeout, back to the bot at: that node is not part of this chatbot.",
      },
    ]);
  });

  it("are not available on an entry of another Redirect Type", () => {
    expect(problems(entry({ liveChat: liveChat() }))).toEqual(["liveChat:not_available"]);
    expect(problems(entry({ liveChat: null }))).toEqual([]);
  });
});
