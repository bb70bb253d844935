import type { NextFunction, Request, RequestHandler, Response } from "express";

/**
 * Channel traffic's own lane: one POST path, nearly every request the API serves, taken through the same middleware
 * and the same route handler as any request, called one after another here rather than found layer by layer by
 * Express's router (decision 0044). Anything else, the same path with a query or another method included, goes on
 * through the app as before. An error leaves the lane for the app's problem handler, as it would from a route.
 */
export function channelLane(
  path: string,
  steps: readonly RequestHandler[],
  answer: (req: Request, res: Response) => Promise<void>,
): RequestHandler {
  return (req, res, next) => {
    if (req.method !== "POST" || req.url !== path) {
      next();
      return;
    }
    new LaneRun(req, res, next, steps, answer).step();
  };
}

/** One request's way along the lane; a class so that `step`, handed to each middleware as its `next`, is made once. */
class LaneRun {
  private at = 0;

  constructor(
    private readonly req: Request,
    private readonly res: Response,
    private readonly leave: NextFunction,
    private readonly steps: readonly RequestHandler[],
    private readonly answer: (req: Request, res: Response) => Promise<void>,
  ) {}

  readonly step = (error?: unknown): void => {
    // Express's own convention: next("route") and next("router") skip on; here the lane has nothing left to skip to.
    if (error !== undefined && error !== null && error !== "route" && error !== "router") {
      this.leave(error);
      return;
    }
    const middleware = this.steps[this.at++];
    try {
      if (middleware) {
        // Express 5 passes a middleware's rejected promise to next, as the route would.
        const returned = middleware(this.req, this.res, this.step) as unknown;
        if (returned instanceof Promise)
          returned.catch((rejected: unknown) => this.leave(rejected ?? new Error("Rejected")));
      } else
        this.answer(this.req, this.res).catch((rejected: unknown) => this.leave(rejected ?? new Error("Rejected")));
    } catch (thrown) {
      this.leave(thrown);
    }
  };
}
