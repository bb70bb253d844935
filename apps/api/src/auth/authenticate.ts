import { parseCookie } from "cookie";
import type { RequestHandler } from "express";
import type { AuthService } from "./auth-service";

export const SESSION_COOKIE = "sb_session";

/** Finds who is calling (API token first, then the session cookie) and leaves it in res.locals.actor for the routes. */
export function authenticate(auth: AuthService): RequestHandler {
  return async (req, res, next) => {
    try {
      const authorization = req.get("authorization");
      if (authorization?.startsWith("Bearer ")) {
        res.locals.actor = await auth.tokenActor(authorization.slice(7).trim());
      } else {
        // A value that does not decode is kept as sent, and so finds no session: a bad cookie is no session.
        const header = req.get("cookie");
        const token = header ? parseCookie(header)[SESSION_COOKIE] : undefined;
        res.locals.actor = token ? await auth.sessionActor(token) : null;
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}
