export interface FakeWhatsappMessage {
  path: string;
  // biome-ignore lint/suspicious/noExplicitAny: the request body as Meta's API receives it.
  body: any;
  id: string;
  at: number;
}
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}
export interface Posted {
  status: number;
  body: string;
}
export interface FakeWhatsapp {
  url: string;
  port: number;
  accessToken: string;
  appSecret: string;
  phoneNumberId: string;
  businessAccountId: string;
  received: FakeWhatsappMessage[];
  // biome-ignore lint/suspicious/noExplicitAny: raw requests as received.
  requests: { method: string; path: string; headers: Record<string, unknown>; body: any }[];
  behave(fn: ((r: { path: string; body: unknown }) => Answer | null) | null): void;
  statusesTo(webhookUrl: string, on?: boolean): void;
  waitFor(count: number, timeoutMs?: number): Promise<FakeWhatsappMessage[]>;
  onMessage(listener: (m: FakeWhatsappMessage) => void): () => void;
  text(webhookUrl: string, from: string, body: string, id?: string, secret?: string): Promise<Posted>;
  reply(
    webhookUrl: string,
    from: string,
    kind: "button_reply" | "list_reply",
    choice: { id: string; title: string; description?: string },
    id?: string,
  ): Promise<Posted>;
  notify(webhookUrl: string, value: Record<string, unknown>, secret?: string): Promise<Posted>;
  status(
    webhookUrl: string,
    s: { id: string; to: string; status: string; callbackData?: string; error?: Record<string, unknown> },
  ): Promise<Posted>;
  close(): Promise<void>;
}
export function whatsappRequestFlaw(body: unknown): string | null;
export function startFakeWhatsapp(options?: {
  port?: number;
  accessToken?: string;
  appSecret?: string;
  phoneNumberId?: string;
  businessAccountId?: string;
  behave?: (r: { path: string; body: unknown }) => Answer | null;
}): Promise<FakeWhatsapp>;
