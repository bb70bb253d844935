import type { IncomingMessage, Server, ServerResponse } from "node:http";

/**
 * Closing an HTTP server without cutting the requests under way (a Send test waiting for its receiver, an inbound turn
 * whose answer the channel waits for). Set up when the server starts, so the responses in flight are known; `close`
 * then stops accepting connections, lets what is under way finish, answers what still arrives on open connections with
 * `Connection: close`, closes the keep-alive connections left idle, and past `graceMs` cuts whatever remains. It
 * resolves once every connection is closed, with the number of requests that were cut.
 */
export function gracefulCloser(server: Server) {
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  const closeIdleWhenDone = () => {
    // An idle connection closed by the server while its client sends on it gets a reset: only once nothing is left.
    if (closing && inFlight.size === 0) setImmediate(() => server.closeIdleConnections());
  };
  // First among the listeners, so its header is set before the app answers.
  server.prependListener("request", (_req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    if (closing) res.setHeader("connection", "close");
    res.once("close", () => {
      inFlight.delete(res);
      closeIdleWhenDone();
    });
  });
  return {
    /** Requests not answered yet. */
    get inFlight() {
      return inFlight.size;
    },
    close(graceMs: number): Promise<{ cut: number }> {
      closing = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader("connection", "close");
      return new Promise((resolve) => {
        let cut = 0;
        const deadline = setTimeout(() => {
          cut = inFlight.size;
          server.closeAllConnections();
        }, graceMs);
        // Stops listening and closes the idle connections now; calls back when the last connection has closed.
        server.close(() => {
          clearTimeout(deadline);
          resolve({ cut });
        });
        closeIdleWhenDone();
      });
    },
  };
}
