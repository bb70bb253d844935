import { existsSync } from "node:fs";
import path from "node:path";
import { settings } from "@switchboard/contracts/settings";
import express from "express";
import helmet from "helmet";
import { auditRoutes } from "./audit/audit-routes";
import { auditService } from "./audit/audit-service";
import { prismaAuditStore } from "./audit/audit-store";
import { allows } from "./auth/actor";
import { authRoutes } from "./auth/auth-routes";
import { authService } from "./auth/auth-service";
import { prismaAuthStore } from "./auth/auth-store";
import { authenticate, SESSION_COOKIE } from "./auth/authenticate";
import { campaignRoutes } from "./campaigns/campaign-routes";
import { campaignService } from "./campaigns/campaign-service";
import { prismaCampaignStore } from "./campaigns/campaign-store";
import {
  channelRoutes,
  OPT_OUTS_CSV_PATH,
  optOutExport,
  PROVIDERS_PATH,
  providerRouter,
} from "./channels/channel-routes";
import { channelService } from "./channels/channel-service";
import { prismaChannelStore } from "./channels/channel-store";
import { type ChannelsConfig, type Config, defaultChannels } from "./config";
import type { Database } from "./db/database";
import { deliveryRoutes } from "./delivery/delivery-routes";
import { deliveryService } from "./delivery/delivery-service";
import { prismaDeliveryStore } from "./delivery/delivery-store";
import { AddressPolicy, addressRefusal } from "./dispatch/address-policy";
import { type DeliveryHandoff, outboxOnly } from "./dispatch/handoff";
import { sendTimeSecrets } from "./dispatch/send-time-secrets";
import { AppError } from "./errors/app-error";
import { exchangeRoutes } from "./exchange/exchange-routes";
import { exchangeService } from "./exchange/exchange-service";
import { prismaExchangeStore } from "./exchange/exchange-store";
import { flowRoutes } from "./flow/flow-routes";
import { flowService } from "./flow/flow-service";
import { prismaFlowStore } from "./flow/flow-store";
import { webhookService } from "./flow/webhook-service";
import { handoffRoutes, handoffWebhooks } from "./handoffs/handoff-routes";
import { handoffService } from "./handoffs/handoff-service";
import { prismaHandoffStore } from "./handoffs/handoff-store";
import { WEB_POLL_BASE } from "./handoffs/web-poll-page";
import { webPollRoutes } from "./handoffs/web-poll-routes";
import { webPollService } from "./handoffs/web-poll-service";
import { prismaWebPollStore } from "./handoffs/web-poll-store";
import { channelLane } from "./http/channel-lane";
import { healthRoutes } from "./http/health-routes";
import { plainJsonBody } from "./http/json-body";
import { buildOpenApi } from "./http/openapi";
import { notFoundHandler, problemHandler } from "./http/problem";
import { rateLimit, type SharedCounts, sharedCounts } from "./http/rate-limit";
import {
  REFERENCE_SCRIPT_PATH,
  referenceScriptFile,
  renderProblemsPage,
  renderReferencePage,
} from "./http/reference-page";
import { loggablePath, requestIds, requestLog } from "./http/request-log";
import { type AuditRecord, actorOf, mountRoutes, route, routeHandler } from "./http/route";
import { integrationRoutes } from "./integrations/integration-routes";
import { integrationService } from "./integrations/integration-service";
import { prismaIntegrationStore } from "./integrations/integration-store";
import { InboxStream } from "./live-chat/inbox-stream";
import { INBOX_EVENTS_PATH, inboxEvents, liveChatRoutes } from "./live-chat/live-chat-routes";
import { liveChatService } from "./live-chat/live-chat-service";
import { LiveChatStore } from "./live-chat/live-chat-store";
import type { Logger } from "./logger";
import { createMetrics, type Metrics } from "./metrics";
import { ReportFold } from "./reports/report-fold-store";
import { reportRoutes } from "./reports/report-routes";
import { reportService } from "./reports/report-service";
import { pgReportStore } from "./reports/report-store";
import { INBOUND_PATH, runtimeRoutes } from "./runtime/runtime-routes";
import { runtimeService } from "./runtime/runtime-service";
import { RuntimeStore } from "./runtime/runtime-store";
import { transcriptService } from "./runtime/transcript-service";
import { prismaTranscriptStore } from "./runtime/transcript-store";
import { linkSigner } from "./secrets/link-signature";
import type { SecretBox } from "./secrets/secret-box";
import { secretHeaderRoutes } from "./secrets/secret-header-routes";
import { secretHeaderService } from "./secrets/secret-header-service";
import { prismaSecretHeaderStore } from "./secrets/secret-header-store";
import { senderRoutes } from "./senders/sender-routes";
import { senderService } from "./senders/sender-service";
import { prismaSenderStore } from "./senders/sender-store";
import { teamRoutes } from "./teams/team-routes";
import { teamService } from "./teams/team-service";
import { prismaTeamStore } from "./teams/team-store";
import { VERSION } from "./version";

export interface AppDeps {
  config: Pick<Config, "env" | "webhookPolicy" | "webDist" | "webhookAllowedCidrs"> & {
    /** Providers' API base URLs and our public URL; absent: the providers' own, and the URL requests arrive at. */
    channels?: ChannelsConfig;
    trustProxy?: string | null;
    /** Sign-in and link attempts per client address and minute. */
    authAttemptsPerMinute?: number;
    /** Scale-out: the rate limits count in this Redis, for every process together. */
    redisUrl?: string | null;
    /** The reports' days start at this zone's midnight (default UTC). */
    reportTimeZone?: string;
    reportEvents?: boolean;
  };
  /** Where the rate limits count instead of config.redisUrl (tests: a prefix of their own). */
  rateLimitCounts?: SharedCounts;
  db: Database;
  logger: Logger;
  now?: () => Date;
  /** Told of the deliveries turns, Resend and Recover commit (startDispatch's); absent, polling finds them. */
  handoff?: DeliveryHandoff;
  metrics?: Metrics;
  /** Seals and opens secret header values; only the dispatcher and an admin's reveal open them. */
  secretBox: SecretBox;
  /** The raffle's draw (Math.random unless a test seeds it). */
  random?: () => number;
  /** Folds report events into the rollups; reports fold before they read (decision 0040). */
  reportFold?: ReportFold;
}

/** The largest JSON body any route takes (1 MB). */
const JSON_LIMIT_BYTES = 1024 * 1024;

/** Wires stores, services and routes; the returned app is what tests drive and main.ts listens with. */
export function createApp({
  config,
  db,
  logger,
  now = () => new Date(),
  handoff = outboxOnly,
  metrics = createMetrics(db.pool),
  secretBox,
  rateLimitCounts,
  random = Math.random,
  reportFold = new ReportFold(db.pool),
}: AppDeps): express.Express {
  const auth = authService({ store: prismaAuthStore(db.prisma), now });
  const audit = auditService({ store: prismaAuditStore(db.prisma), now });
  const senderStore = prismaSenderStore(db.prisma);
  const channelsConfig = config.channels ?? defaultChannels;
  const senders = senderService({ store: senderStore, box: secretBox, publicUrl: channelsConfig.publicUrl });
  const campaignStore = prismaCampaignStore(db.prisma);
  const flowStore = prismaFlowStore(db.prisma);
  const campaigns = campaignService({ campaigns: campaignStore, senders: senderStore, flows: flowStore, now });
  const addressPolicy = new AddressPolicy(config.webhookAllowedCidrs);
  const seal = (plain: string) => secretBox.seal(plain);
  const flows = flowService({
    flows: flowStore,
    seal,
    policy: config.webhookPolicy,
    checkAddress: (url) => addressRefusal(url, addressPolicy),
    activation: { check: (id) => campaigns.checkActivation(id), activate: (id) => campaigns.activate(id) },
  });
  const deliveries = deliveryService({
    store: prismaDeliveryStore(db),
    policy: addressPolicy,
    now,
    handoff,
    secrets: sendTimeSecrets(db.pool, secretBox),
  });
  const links = linkSigner(secretBox);
  const handoffStore = prismaHandoffStore(db.prisma);
  const webPolls = webPollService({
    store: prismaWebPollStore(db.prisma),
    settings: handoffStore,
    verify: links.verify,
    now,
    due: (ids) => handoff.due(ids),
  });
  const liveChatStore = new LiveChatStore(db.pool);
  const inboxStream = new InboxStream(liveChatStore, 250, (error) =>
    logger.warn({ error: (error as Error).message }, "could not read the inbox's events; retrying"),
  );
  const runtime = runtimeService({
    store: new RuntimeStore(db.pool, {
      maxBatch: 32,
      // Two batches: one commits while the next reads. Four made smaller batches and no more messages/s (decision
      // 0017). The embedded database runs one.
      maxConcurrent: Math.min(2, db.pool.options.max ?? 1),
    }),
    drafts: (id) => flows.draftSnapshot(id),
    now,
    handoff,
    onInbound: (answered, seconds) => {
      metrics.inboundMessage(answered);
      metrics.inboundTurn(seconds);
    },
    random,
    signLink: links.sign,
    onInbox: () => inboxStream.kick(),
    countForReports: config.reportEvents ?? true,
  });
  const channels = channelService({
    store: prismaChannelStore(db.prisma),
    runtime,
    box: secretBox,
    config: channelsConfig,
    now,
    onMessage: (provider, direction, outcome) => metrics.providerMessage(provider, direction, outcome),
  });
  const liveChat = liveChatService({
    store: liveChatStore,
    plans: (senderId, phoneNumber, origin) =>
      channels.planFor(senderId, phoneNumber, channelsConfig.publicUrl ?? origin),
    queued: (ids) => runtime.messagesQueued(ids),
    changed: () => inboxStream.kick(),
    now,
  });
  const routes = [
    // Channel traffic first: it carries almost all requests, and has a lane of its own through the app (below).
    ...runtimeRoutes(
      runtime,
      transcriptService({ store: prismaTranscriptStore(db.prisma) }),
      campaigns,
      senders,
      (message, { origin, requestId }) => channels.httpInbound(message, channelsConfig.publicUrl ?? origin, requestId),
    ),
    ...healthRoutes(db, logger),
    route({
      method: "get",
      path: "/api/v1/settings",
      tag: "Operations",
      access: "viewer",
      summary: "What the editor needs to know about this installation",
      response: settings,
      handler: async () => ({ webhooks: { allowHttp: config.webhookPolicy.allowHttp } }),
    }),
    ...authRoutes(auth),
    ...auditRoutes(audit),
    ...secretHeaderRoutes(
      secretHeaderService({ secretHeaders: prismaSecretHeaderStore(db.prisma), box: secretBox, now }),
    ),
    ...integrationRoutes(
      integrationService({
        integrations: prismaIntegrationStore(db.prisma),
        seal,
        policy: config.webhookPolicy,
        checkAddress: (url) => addressRefusal(url, addressPolicy),
        open: (sealed) => secretBox.reveal(sealed),
        now,
      }),
    ),
    ...senderRoutes(senders),
    ...channelRoutes(channels, async (id) => (await senders.get(id)).provider),
    ...campaignRoutes(campaigns),
    ...flowRoutes(
      flows,
      webhookService({ flow: flows, flows: flowStore, seal, open: (sealed) => secretBox.reveal(sealed), now }),
    ),
    ...exchangeRoutes(exchangeService({ store: prismaExchangeStore(db.prisma), flowStore, flows, campaigns })),
    ...deliveryRoutes(deliveries, flows),
    ...handoffRoutes(
      handoffService({
        store: handoffStore,
        campaigns: campaignStore,
        seal,
        policy: config.webhookPolicy,
        checkAddress: (url) => addressRefusal(url, addressPolicy),
        now,
      }),
      deliveries,
    ),
    ...liveChatRoutes(liveChat),
    ...teamRoutes(teamService({ teams: prismaTeamStore(db.prisma) })),
    ...reportRoutes(
      reportService({
        store: pgReportStore(db.pool, reportFold),
        timeZone: config.reportTimeZone ?? "UTC",
        now,
      }),
    ),
  ];
  const openapi = buildOpenApi(routes, VERSION, handoffWebhooks);
  const referencePage = renderReferencePage("Switchboard API");
  const problemsPage = renderProblemsPage("Switchboard API");

  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  // Behind a TLS-terminating proxy (TRUST_PROXY), req.secure and req.ip come from X-Forwarded-*: cookies get Secure.
  if (config.trustProxy) app.set("trust proxy", config.trustProxy);
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // The diagram, the problems page and the interactive reference (Scalar injects its styles) set inline styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    // Plain http on 127.0.0.1 is the default start; HSTS belongs to whoever terminates TLS.
    strictTransportSecurity: false,
  });
  // Logged by route pattern: a path can carry a credential (a one-time link's token).
  const logPath = loggablePath(routes.map((r) => r.path));
  const ids = requestIds();
  const log = requestLog(
    logger,
    logPath,
    (path) => path === INBOUND_PATH || path.startsWith("/api/health"),
    (method, path, status, seconds) => metrics.httpRequest(method, path, status, seconds),
  );
  const json = express.json({ limit: JSON_LIMIT_BYTES, strict: false });
  const findCaller = authenticate(auth);
  const mountOptions = {
    checkResponses: config.env !== "production",
    sessionCookie: SESSION_COOKIE,
    audit: (record: AuditRecord) => audit.record(record),
  };
  const inbound = routes.find((r) => r.path === INBOUND_PATH && r.method === "post");
  // Channel traffic, nearly every request, goes through the same steps as below without the router's walk to them.
  if (inbound)
    app.use(
      channelLane(
        INBOUND_PATH,
        [securityHeaders, ids, log, plainJsonBody(JSON_LIMIT_BYTES, json), findCaller],
        routeHandler(inbound, mountOptions),
      ),
    );
  app.use(securityHeaders);
  app.use(ids);
  app.use(log);
  // Before the JSON parser: Meta's signature covers the raw bytes, and Twilio posts form fields.
  app.use(PROVIDERS_PATH, providerRouter(channels, channelsConfig.publicUrl));
  app.use("/api", json);
  // Probes need no caller, and must not depend on the database that finding one reads (a cookie sent to a probe).
  app.use(["/api", "/metrics"], (req, res, next) =>
    req.originalUrl.startsWith("/api/health") ? next() : findCaller(req, res, next),
  );
  // Public entry points that take secrets are paced per client address.
  app.use(
    ["/api/v1/auth/sign-in", "/api/v1/auth/setup", "/api/v1/auth/set-password", "/api/v1/auth/links"],
    rateLimit({
      name: "sign-in-and-links",
      limit: config.authAttemptsPerMinute ?? 20,
      windowMs: 60_000,
      shared: rateLimitCounts ?? (config.redisUrl ? sharedCounts(config.redisUrl, logger) : null),
      logger,
    }),
  );
  app.get("/metrics", async (_req, res, next) => {
    const actor = actorOf(res);
    if (!allows(actor, "metrics")) {
      next(
        new AppError(
          actor ? "forbidden" : "unauthorized",
          "Metrics need an API token with the metrics scope (Authorization: Bearer <token>) or an admin.",
        ),
      );
      return;
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get("/api/openapi.json", (_req, res) => {
    res.json(openapi);
  });
  app.get("/api/docs", (_req, res) => {
    res.type("html").send(referencePage);
  });
  app.get(REFERENCE_SCRIPT_PATH, (_req, res, next) => {
    // pnpm keeps packages under node_modules/.pnpm: a dot-directory that sendFile refuses unless told.
    res.sendFile(referenceScriptFile(), { maxAge: "1h", dotfiles: "allow" }, (err) => err && next(err));
  });
  app.get("/api/problems", (_req, res) => {
    res.type("html").send(problemsPage);
  });
  const api = express.Router();
  mountRoutes(api, routes, mountOptions);
  // Routers and streams outside the route table are mounted under their own paths: a router mounted without one is
  // walked by every request, inbound messages included. The inbox's stream comes before the route table, whose
  // GET /api/v1/inbox/:conversationId would take it. The Web Polls & Surveys public page is HTML, outside /api.
  app.use(WEB_POLL_BASE, webPollRoutes(webPolls));
  app.get(OPT_OUTS_CSV_PATH, optOutExport(channels));
  app.get(INBOX_EVENTS_PATH, inboxEvents(liveChat, inboxStream));
  app.use(api);
  app.use("/api", notFoundHandler);
  if (config.webDist && existsSync(config.webDist)) serveSpa(app, config.webDist);
  app.use(notFoundHandler);
  app.use(problemHandler(logger, logPath));
  // main.ts sweeps Live Chat's timeouts with these; tests call the sweep with their own clock.
  app.locals.liveChat = liveChat;
  app.locals.inboxStream = inboxStream;
  return app;
}

function serveSpa(app: express.Express, dist: string) {
  app.use(express.static(dist, { index: false, maxAge: "1h", immutable: false }));
  const index = path.join(dist, "index.html");
  // Client-side routes (/campaigns/13010) all load the SPA.
  app.get(/^\/(?!api\/).*/, (_req, res) => {
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(index);
  });
}
