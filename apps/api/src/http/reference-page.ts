// The OpenAPI document is walked generically here; its shape is checked where it is built.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Json = Record<string, any>;

const esc = (s: unknown) =>
  String(s ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

/** A self-contained, readable API reference rendered from the OpenAPI document (no CDN: machines may be offline). */
export function renderReferencePage(doc: Json): string {
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(ops as Json)) {
      const params = (op.parameters ?? []) as Json[];
      const body = op.requestBody?.content?.["application/json"]?.schema;
      const responses = Object.entries(op.responses as Json)
        .map(([status, r]) => `<li><code>${status}</code> ${esc((r as Json).description)}</li>`)
        .join("");
      const html = `<section class="op" id="${esc(op.operationId)}">
  <h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code></h3>
  <p>${esc(op.summary)}${op.description ? ` — ${esc(op.description)}` : ""}</p>
  ${params.length ? `<h4>Parameters</h4><ul>${params.map((p) => `<li><code>${esc(p.name)}</code> (${p.in}${p.required ? ", required" : ""})</li>`).join("")}</ul>` : ""}
  ${body ? `<h4>Body</h4>${schemaLink(body)}` : ""}
  <h4>Responses</h4><ul>${responses}</ul>
</section>`;
      const tag = (op.tags?.[0] as string) ?? "Other";
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const schemas = Object.entries((doc.components?.schemas ?? {}) as Json)
    .map(
      ([name, s]) =>
        `<section id="schema-${esc(name)}"><h3>${esc(name)}</h3><pre>${esc(JSON.stringify(s, null, 2))}</pre></section>`,
    )
    .join("");
  const nav = [...byTag.keys()].map((t) => `<a href="#tag-${esc(t)}">${esc(t)}</a>`).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(doc.info.title)} reference</title><style>
:root{color-scheme:light dark;--fg:#1b1f24;--muted:#59636e;--bg:#fff;--card:#f6f8fa;--line:#d1d9e0}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--card:#151b23;--line:#3d444d}}
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:var(--fg);background:var(--bg)}main{max-width:960px;margin:0 auto;padding:24px}
nav{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0 24px}nav a{color:inherit}
.op{border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin:12px 0;background:var(--card)}
.m{font:600 12px monospace;padding:2px 6px;border-radius:4px;color:#fff}.get{background:#1f6feb}.post{background:#1a7f37}.patch,.put{background:#9a6700}.delete{background:#cf222e}
pre{overflow:auto;background:var(--card);padding:12px;border-radius:6px;border:1px solid var(--line)}h4{margin:8px 0 4px;color:var(--muted)}
</style></head><body><main><h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1>
<p>${esc(doc.info.description)} The machine-readable document is at <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<nav>${nav}<a href="#schemas">Schemas</a></nav>
${[...byTag.entries()].map(([tag, ops]) => `<h2 id="tag-${esc(tag)}">${esc(tag)}</h2>${ops.join("")}`).join("")}
<h2 id="problems">Errors</h2><p>Every error is <code>application/problem+json</code> (RFC 9457) with <code>type</code>, <code>title</code>, <code>status</code>, <code>detail</code> and, for invalid fields, <code>errors</code>: one <code>{path, code, message}</code> per field, e.g. <code>body.webhook.headers.0.name</code>.</p>
<h2 id="schemas">Schemas</h2>${schemas}</main></body></html>`;
}

function schemaLink(schema: Json): string {
  const ref = schema.$ref as string | undefined;
  if (ref) {
    const name = ref.split("/").at(-1) as string;
    return `<a href="#schema-${esc(name)}">${esc(name)}</a>`;
  }
  return `<pre>${esc(JSON.stringify(schema, null, 2))}</pre>`;
}
