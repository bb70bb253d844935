import type { Request, RequestHandler } from "express";

/** application/json, optionally with charset=utf-8: the type every channel integration sends. */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset\s*=\s*(?:utf-8|"utf-8")\s*)?$/i;

/**
 * Channel traffic's JSON bodies (decision 0044). A body sent as UTF-8 JSON, uncompressed, of a declared length within
 * `limitBytes` is read and parsed here, without the general parser's content negotiation, decoding streams and
 * decompression, none of which such a body needs. Any other body, compressed, chunked, empty or of another type or
 * charset, goes to `general` (express.json with the same limit), which decides and words its fate as on every route.
 * A body that is not JSON fails as the general parser's does (400, entity.parse.failed), so the problem handler
 * answers it alike.
 */
export function plainJsonBody(limitBytes: number, general: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const length = plainLength(req, limitBytes);
    if (length === null) {
      general(req, res, next);
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      next(error);
    };
    req.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
    });
    req.on("end", () => {
      // Node's parser ends a body at its Content-Length; shorter means the client stopped sending.
      if (received !== length) {
        settle(bodyError(400, "request.size.invalid", "The request body is shorter than its Content-Length."));
        return;
      }
      const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received);
      let text = bytes.toString("utf8");
      // A byte order mark is not JSON; the general parser's decoder drops it too.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      try {
        req.body = JSON.parse(text);
      } catch (error) {
        settle(bodyError(400, "entity.parse.failed", (error as Error).message));
        return;
      }
      (req as Request & { _body?: boolean })._body = true;
      settle();
    });
    req.on("error", (error) => settle(error));
    // A request closed before its body ended was aborted by the client ('aborted' itself is deprecated).
    req.on("close", () => {
      if (!req.complete) settle(bodyError(400, "request.aborted", "The client stopped sending the request."));
    });
  };
}

/** The declared length of a body this reader takes, or null when the general parser should have it. */
function plainLength(req: Request, limitBytes: number): number | null {
  const h = req.headers;
  if (h["content-encoding"] !== undefined || h["transfer-encoding"] !== undefined) return null;
  const type = h["content-type"];
  if (type === undefined || !PLAIN_JSON.test(type)) return null;
  const declared = h["content-length"];
  if (declared === undefined || !/^\d{1,10}$/.test(declared)) return null;
  const length = Number(declared);
  return length > 0 && length <= limitBytes ? length : null;
}

/** An error shaped as the general parser's (status, type), which the problem handler knows. */
function bodyError(status: number, type: string, message: string): Error {
  return Object.assign(new Error(message), { status, statusCode: status, type, expose: true });
}
