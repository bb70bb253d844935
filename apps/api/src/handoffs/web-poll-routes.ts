import express from "express";
import { requestIdOf } from "../http/request-log";
import { renderWebPollPage, WEB_POLL_SCRIPT, webPollScript } from "./web-poll-page";
import type { WebPollService } from "./web-poll-service";

/**
 * The public Web Polls & Surveys page (mounted at WEB_POLL_BASE), outside the JSON route table: anyone holding a personal link may open it, and
 * post its form once. Errors become pages, never problem+json or a stack trace.
 */
export function webPollRoutes(polls: WebPollService): express.Router {
  const router = express.Router();
  const page = (res: express.Response, rendered: { status: number; html: string }) => {
    // A personal page: never cached by a proxy. The editor's live preview shows it in a frame of the same origin, so
    // only this page's CSP lets 'self' frame it (helmet's X-Frame-Options is SAMEORIGIN already).
    const csp = res.getHeader("Content-Security-Policy");
    if (typeof csp === "string") {
      res.setHeader("Content-Security-Policy", csp.replace("frame-ancestors 'none'", "frame-ancestors 'self'"));
    }
    res.status(rendered.status).setHeader("Cache-Control", "no-store").type("html").send(rendered.html);
  };
  router.get(WEB_POLL_SCRIPT, (_req, res) => {
    res.setHeader("Cache-Control", "public, max-age=3600");
    res.type("application/javascript").send(webPollScript);
  });
  router.get("/:token", async (req, res, next) => {
    try {
      page(res, renderWebPollPage(await polls.show(req.params.token), req.originalUrl));
    } catch (error) {
      next(error);
    }
  });
  router.post(
    "/:token",
    express.urlencoded({ extended: false, limit: "64kb", parameterLimit: 500 }),
    async (req, res, next) => {
      try {
        const body = (req.body ?? {}) as Record<string, unknown>;
        page(res, renderWebPollPage(await polls.submit(req.params.token, body, requestIdOf(req)), req.originalUrl));
      } catch (error) {
        next(error);
      }
    },
  );
  return router;
}
