// The benchmark's webhook receiver, in its own process: answers 200 at once, and records, for each webhook, the time
// from the end user's message reaching the platform (the payload's `date`) to the webhook arriving here.
import { createServer } from "node:http";

const latencies = [];
// Every webhook-id ever received (never reset): for counting lost and duplicate webhooks over a whole run.
const ids = new Set();
let duplicates = 0;
let count = 0;
let first = 0;
let last = 0;
const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/stats") {
    const sorted = Float64Array.from(latencies).sort();
    const pct = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : null);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        count,
        unique: ids.size,
        duplicates,
        p50: pct(0.5),
        p99: pct(0.99),
        seconds: (last - first) / 1000,
      }),
    );
    return;
  }
  if (req.method === "POST" && req.url === "/reset-all") {
    ids.clear();
    duplicates = 0;
  }
  if (req.method === "POST" && (req.url === "/reset" || req.url === "/reset-all")) {
    latencies.length = 0;
    count = first = last = 0;
    res.end();
    return;
  }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const now = Date.now();
    res.writeHead(200).end();
    const id = req.headers["webhook-id"];
    if (id) {
      if (ids.has(id)) duplicates++;
      else ids.add(id);
    }
    try {
      const date = JSON.parse(Buffer.concat(chunks).toString()).date;
      if (date) {
        latencies.push(now - Date.parse(date));
        count++;
        if (!first) first = now;
        last = now;
      }
    } catch {
      // the raw-capacity phase posts whatever it likes
    }
  });
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => process.send?.({ port: server.address().port }));
