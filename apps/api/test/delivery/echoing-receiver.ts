import { receiver } from "./receivers";

/**
 * A receiver that answers with the request it got, as httpbin's /anything does (headers by their Title-Case names),
 * and also as a base64 dump of the raw request head and as a form-encoded list: what a careless or debugging endpoint
 * may echo back to the sender.
 */
export function echoingReceiver(status = 200) {
  return receiver((req, res, body) => {
    const head = `${req.method} ${req.url} HTTP/1.1\r\n${req.rawHeaders
      .map((part, i) => (i % 2 === 0 ? `${part}: ` : `${part}\r\n`))
      .join("")}\r\n`;
    const headers: Record<string, string> = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = (req.rawHeaders[i] as string).replace(
        /(^|-)([a-z])/g,
        (_m, dash, c: string) => dash + c.toUpperCase(),
      );
      headers[name] = req.rawHeaders[i + 1] as string;
    }
    res.writeHead(status, { "content-type": "application/json" }).end(
      JSON.stringify({
        headers,
        data: body,
        raw: Buffer.from(head, "latin1").toString("base64"),
        form: new URLSearchParams(headers).toString(),
      }),
    );
  });
}
