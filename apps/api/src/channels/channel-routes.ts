import { optOutList, optOutQuery, outboundMessageList } from "@switchboard/contracts/channels";
import { sessionParams } from "@switchboard/contracts/messages";
import type { Provider } from "@switchboard/domain/messaging/provider";
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from "express";
import { allows } from "../auth/actor";
import { AppError } from "../errors/app-error";
import { requestIdOf } from "../http/request-log";
import { actorOf, route } from "../http/route";
import type { ChannelService } from "./channel-service";

/** The admin and viewer operations of channels: opt-outs, and a conversation's outbound messages. */
export function channelRoutes(channels: ChannelService, providerOf: (senderId: string) => Promise<Provider>) {
  return [
    route({
      method: "get",
      access: "admin",
      path: "/api/v1/opt-outs",
      tag: "Senders",
      summary: "List the phone numbers that opted out",
      description: "Newest first; `senderId` narrows to one sender. `/api/v1/opt-outs.csv` exports them all.",
      query: optOutQuery,
      response: optOutList,
      handler: ({ query }) => channels.optOuts(query),
    }),
    route({
      method: "get",
      access: "viewer",
      path: "/api/v1/sessions/:sessionId/outbound-messages",
      tag: "Conversations",
      summary: "A conversation's outbound messages and where each stands",
      description: "queued, sending, sent, delivered, read, failed (with its reason), refused or cancelled.",
      params: sessionParams,
      response: outboundMessageList,
      handler: ({ params }) => channels.outboundOfSession(params.sessionId, providerOf),
    }),
  ];
}

/**
 * The providers' public routes, authenticated by their signature alone, and the opt-outs' CSV export. Outside the
 * route table: their bodies are form fields (Twilio) or raw bytes whose signature is checked before parsing (Meta),
 * and they answer TwiML or a plain challenge rather than JSON (decision 0023).
 */
/** Where the providers' routes are mounted (their paths below are relative to it). */
export const PROVIDERS_PATH = "/api/v1/providers";

export function providerRouter(channels: ChannelService, publicUrl: string | null): Router {
  const router = express.Router();
  const origin = (req: Request) => `${req.protocol}://${req.get("host") ?? "localhost"}`;
  // Twilio signs the URL it requested: behind a proxy that rewrites it, PUBLIC_URL says what that was.
  const requestedUrl = (req: Request) => `${publicUrl ?? origin(req)}${req.originalUrl}`;
  const form = express.urlencoded({ extended: false, limit: "64kb", parameterLimit: 200 });
  const run =
    (handler: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) =>
      handler(req, res).catch(next);
  const formOnly = (req: Request) => {
    if (!req.is("application/x-www-form-urlencoded"))
      throw new AppError("unsupported_media_type", "Twilio posts application/x-www-form-urlencoded.");
  };

  router.post(
    "/twilio/:senderId/inbound",
    form,
    run(async (req, res) => {
      formOnly(req);
      await channels.twilioInbound(String(req.params.senderId), {
        url: requestedUrl(req),
        origin: publicUrl ?? origin(req),
        params: { ...(req.body as Record<string, string | string[]>) },
        signature: req.get("x-twilio-signature"),
        requestId: requestIdOf(req),
      });
      // Replies go out through Twilio's REST API, from the outbox: the answer to this request is empty.
      res.type("text/xml").send('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    }),
  );
  router.post(
    "/twilio/:senderId/status",
    form,
    run(async (req, res) => {
      formOnly(req);
      await channels.twilioStatus(String(req.params.senderId), {
        url: requestedUrl(req),
        messageId: typeof req.query.message === "string" ? req.query.message : undefined,
        params: { ...(req.body as Record<string, string | string[]>) },
        signature: req.get("x-twilio-signature"),
      });
      res.status(204).end();
    }),
  );
  router.get(
    "/whatsapp/:senderId",
    run(async (req, res) => {
      res.type("text/plain").send(await channels.whatsappVerify(String(req.params.senderId), req.query));
    }),
  );
  router.post(
    "/whatsapp/:senderId",
    express.raw({ type: () => true, limit: "1mb" }),
    run(async (req, res) => {
      await channels.whatsappInbound(String(req.params.senderId), {
        raw: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        signature: req.get("x-hub-signature-256"),
        origin: publicUrl ?? origin(req),
        requestId: requestIdOf(req),
      });
      res.status(200).json({ received: true });
    }),
  );
  return router;
}

export const OPT_OUTS_CSV_PATH = "/api/v1/opt-outs.csv";

/** GET /api/v1/opt-outs.csv: every opt-out as CSV, for admins (mounted after the caller is known). */
export function optOutExport(channels: ChannelService): RequestHandler {
  return (_req, res, next) => {
    void (async () => {
      const actor = actorOf(res);
      if (!allows(actor, "admin"))
        throw new AppError(actor ? "forbidden" : "unauthorized", "Only admins may export opt-outs.");
      res
        .type("text/csv")
        .setHeader("Content-Disposition", 'attachment; filename="opt-outs.csv"')
        .send(await channels.optOutsCsv());
    })().catch(next);
  };
}
