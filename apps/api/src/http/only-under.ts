import type { RequestHandler } from "express";

const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * One middleware that hands a request to the router of the path prefix it starts with (ignoring case, as Express's
 * routes do), and any other request straight on. Express gives every request to each router mounted without a path,
 * and a router walks its routes, with the allocations of its `next`, before passing it on: inbound messages, almost
 * all traffic, went through four such routers for nothing.
 */
export function onlyUnder(routers: Record<string, RequestHandler>): RequestHandler {
  const prefixes = Object.keys(routers);
  const under = new RegExp(`^(?:${prefixes.map((p) => `(${literally(p)})`).join("|")})`, "i");
  return (req, res, next) => {
    if (!under.test(req.url)) {
      next();
      return;
    }
    const groups = under.exec(req.url)?.slice(1) ?? [];
    const router = routers[prefixes[groups.findIndex((g) => g !== undefined)] ?? ""];
    if (router) router(req, res, next);
    else next();
  };
}
