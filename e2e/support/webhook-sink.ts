import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedWebhook {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
  receivedAt: Date;
}

/** A local HTTP receiver that records every request, for tests of what Switchboard sends. */
export class WebhookSink {
  readonly received: ReceivedWebhook[] = [];
  private server: Server | null = null;
  private status = 200;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        this.received.push({
          method: req.method ?? "",
          path: req.url ?? "",
          headers: req.headers,
          body,
          json,
          receivedAt: new Date(),
        });
        res.writeHead(this.status, { "content-type": "application/json" }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return this.url;
  }

  get url(): string {
    if (!this.server) throw new Error("The webhook sink is not started.");
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/hooks`;
  }

  /** Makes the receiver answer with another status, e.g. 500 to test retries. */
  respondWith(status: number) {
    this.status = status;
  }

  /** Resolves once `count` requests have arrived, or fails after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedWebhook[]> {
    const started = Date.now();
    while (this.received.length < count) {
      if (Date.now() - started > timeoutMs)
        throw new Error(`Expected ${count} webhook(s) within ${timeoutMs} ms; ${this.received.length} arrived.`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.received.slice(0, count);
  }

  async stop() {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
