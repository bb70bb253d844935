import type { RequestHandler } from "express";
import type { AuthService } from "./auth-service";

export const SESSION_COOKIE = "sb_session";

function cookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** Finds who is calling (API token first, then the session cookie) and leaves it in res.locals.actor for the routes. */
export function authenticate(auth: AuthService): RequestHandler {
  return async (req, res, next) => {
    try {
      const authorization = req.get("authorization");
      if (authorization?.startsWith("Bearer ")) {
        res.locals.actor = await auth.tokenActor(authorization.slice(7).trim());
      } else {
        const token = cookie(req.get("cookie"), SESSION_COOKIE);
        res.locals.actor = token ? await auth.sessionActor(token) : null;
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}
