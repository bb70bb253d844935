import { expect, it } from "vitest";
import { describeEachDatabase } from "./harness";

// biome-ignore lint/suspicious/noExplicitAny: the served document is walked generically
type Json = Record<string, any>;

describeEachDatabase("the OpenAPI document, complete", (h) => {
  it("declares its tags, its licence, how each credential is sent, and describes every parameter", async () => {
    const doc: Json = (await h.api.get("/api/openapi.json")).body;
    expect(doc.info.license).toEqual({ name: "MIT", identifier: "MIT" });
    const declared = new Map((doc.tags as Json[]).map((t) => [t.name, t.description]));
    const operations = Object.values(doc.paths as Json).flatMap((ops) => Object.values(ops as Json)) as Json[];
    for (const op of operations) {
      for (const tag of op.tags) expect(declared.get(tag), tag).toMatch(/\w/);
      for (const p of op.parameters ?? []) expect(p.description, `${op.operationId} ${p.name}`).toMatch(/\w/);
    }
    expect(doc.components.securitySchemes.session.description).toContain("X-CSRF-Token");
    const inbound = doc.paths["/api/v1/messages/inbound"].post;
    expect(inbound.security).toEqual([{ token: [] }, { session: [] }]);
    expect(inbound.description).toContain("`inbound` scope");
    // The providers' public routes are documented too, each with the signature that authenticates it.
    const twilio = doc.paths["/api/v1/providers/twilio/{senderId}/inbound"].post;
    expect(twilio.security).toEqual([]);
    expect(twilio.parameters.map((p: Json) => p.name)).toContain("X-Twilio-Signature");
    expect(Object.keys(twilio.requestBody.content)).toEqual(["application/x-www-form-urlencoded"]);
    const whatsapp = doc.paths["/api/v1/providers/whatsapp/{senderId}"];
    expect(whatsapp.get.parameters.map((p: Json) => p.name)).toContain("hub.verify_token");
    expect(whatsapp.post.parameters.map((p: Json) => p.name)).toContain("X-Hub-Signature-256");
    expect(declared.get("Providers")).toMatch(/signature/);
  });

  it("gives every request and response body an example, and no schema refers to itself", async () => {
    const doc: Json = (await h.api.get("/api/openapi.json")).body;
    let bodies = 0;
    for (const [path, ops] of Object.entries(doc.paths as Json)) {
      for (const op of Object.values(ops as Json) as Json[]) {
        const contents = [op.requestBody?.content, ...Object.values(op.responses).map((r) => (r as Json).content)];
        for (const content of contents.filter(Boolean)) {
          for (const [type, media] of Object.entries(content as Json)) {
            bodies++;
            expect((media as Json).example, `${path} ${op.operationId} ${type}`).not.toBeUndefined();
          }
        }
      }
    }
    expect(bodies).toBeGreaterThan(200);
    for (const [name, schema] of Object.entries(doc.components.schemas as Json)) {
      expect(JSON.stringify(schema), name).not.toContain(`"#/components/schemas/${name}"`);
    }
    expect(doc.paths["/api/v1/senders"].post.requestBody.content["application/json"].example).toMatchObject({
      address: expect.stringMatching(/^\+[1-9]\d{6,14}$/),
    });
  });

  it("describes the payloads it sends (option, response, the hand-offs'), with their signature headers", async () => {
    const doc: Json = (await h.api.get("/api/openapi.json")).body;
    expect(Object.keys(doc.webhooks).sort()).toEqual(["option", "raffleEntry", "response", "surveyResponse"]);
    for (const hook of Object.values(doc.webhooks as Json) as Json[]) {
      const headers = (hook.post.parameters as Json[]).filter((p) => p.in === "header").map((p) => p.name);
      expect(headers).toEqual(["webhook-id", "webhook-timestamp", "webhook-signature"]);
      const media = hook.post.requestBody.content["application/json"];
      const ref = media.schema.$ref as string | undefined;
      const schema = ref ? doc.components.schemas[ref.replace("#/components/schemas/", "")] : media.schema;
      expect(Object.keys(media.example)).toEqual(schema.required);
    }
    expect(doc.webhooks.option.post.requestBody.content["application/json"].schema.required).toEqual([
      "campaignId",
      "label",
      "option",
      "keyword",
      "phoneNumber",
      "date",
    ]);
  });
});
