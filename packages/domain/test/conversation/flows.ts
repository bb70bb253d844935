import type { CampaignRuntime, FlowSnapshot, PublishedEntry } from "../../src/conversation/flow-snapshot";

export const hook = (url = "https://hooks.example.com/elipackage") => ({ url, body: {}, headers: [] });

export function entry(overrides: Partial<PublishedEntry> & Pick<PublishedEntry, "id" | "keyword">): PublishedEntry {
  return {
    menuText: null,
    redirectType: "interaction",
    redirectTo: null,
    attribute: null,
    webhookEnabled: false,
    webhook: null,
    ...overrides,
  };
}

export const campaign: CampaignRuntime = {
  id: 13010,
  name: "EliPackage",
  type: "chatbot",
  status: "active",
  endsAt: null,
  closingText: "This campaign has ended. Thank you!",
  sessionTimeoutMinutes: 1440,
};

/** setting-webhook.txt's first example: the Welcome Message asks for a name; the answer is the webhook's response. */
export const nameQuestion: FlowSnapshot = {
  campaignId: 13010,
  version: 1,
  channel: "sms",
  nodes: [
    {
      id: "welcome",
      kind: "welcome",
      label: "Welcome Message",
      message: "Welcome to EliPackage, can you enter your name, please?",
      confirmationText: "Thank you! We got your name.",
      entries: [entry({ id: "ask-name", keyword: "1", redirectType: "webhook", webhook: hook() })],
    },
  ],
};

/** The second example: a streaming-membership menu whose first option has the webhook toggle on. */
export const streaming: FlowSnapshot = {
  campaignId: 13010,
  version: 2,
  channel: "sms",
  nodes: [
    {
      id: "welcome",
      kind: "welcome",
      label: "Welcome Message",
      message: "Welcome to EliPackage, enter the best option for streaming membership:",
      confirmationText: null,
      entries: [
        entry({
          id: "e1",
          keyword: "1",
          menuText: "One month",
          redirectTo: "month",
          webhookEnabled: true,
          webhook: hook(),
        }),
        entry({ id: "e2", keyword: "2", menuText: "Six months", redirectTo: "six" }),
        entry({ id: "e3", keyword: "3", menuText: "One year", redirectTo: "year" }),
        entry({ id: "e4", keyword: "4", menuText: "Talk to us", redirectType: "live_chat" }),
        entry({ id: "e5", keyword: "5", menuText: "Win a prize", redirectType: "campaign", redirectTo: "13011" }),
      ],
    },
    {
      id: "month",
      kind: "interaction",
      label: "One month",
      message: "Great choice. What is your email?",
      confirmationText: null,
      entries: [
        entry({ id: "email", keyword: "E", redirectType: "attribute", attribute: "email", redirectTo: "done" }),
      ],
    },
    {
      id: "six",
      kind: "interaction",
      label: "Six months",
      message: "Six months it is.",
      confirmationText: null,
      entries: [],
    },
    {
      id: "year",
      kind: "interaction",
      label: "One year",
      message: "A whole year!",
      confirmationText: null,
      entries: [],
    },
    {
      id: "done",
      kind: "interaction",
      label: "Done",
      message: "We will write to {{email}}.",
      confirmationText: null,
      entries: [],
    },
  ],
};
