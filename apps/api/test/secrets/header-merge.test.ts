import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors/app-error";
import {
  type IncomingHeader,
  mergeHeaders,
  referencedSecretHeaders,
  type SecretHeaderRef,
  type StoredHeader,
  type Writer,
} from "../../src/secrets/header-merge";

// A stand-in for the secret box: what it seals is recognisable, and looks sealed to SecretBox.isSealed.
const seal = (plain: string) => `sb1.sealed.${plain}`;
const ADMIN: Writer = { mayWriteSecrets: true };
const MARKETER: Writer = { mayWriteSecrets: false };
const paths = { headers: ["webhook", "headers"], url: ["webhook", "url"] };

const typed: StoredHeader = { id: "h-typed", name: "Authorization", value: "sb1.sealed.sk_live_1", secret: true };
const plain: StoredHeader = { id: "h-plain", name: "X-Team", value: "growth", secret: false };
const picked: StoredHeader = { id: "h-picked", name: "X-Api-Key", value: "", secret: true, secretHeaderId: "s-crm" };
const crm: SecretHeaderRef = { id: "s-crm", label: "CRM key", name: "X-Api-Key", allowedHosts: ["crm.example.com"] };

function merge(
  incoming: IncomingHeader[],
  options: { stored?: StoredHeader[]; writer?: Writer; url?: string; storedUrl?: string | null } = {},
) {
  return mergeHeaders({
    incoming,
    stored: options.stored ?? [typed, plain, picked],
    paths,
    url: options.url ?? "https://crm.example.com/hook",
    storedUrl: options.storedUrl === undefined ? "https://crm.example.com/old" : options.storedUrl,
    writer: options.writer ?? ADMIN,
    secretHeaders: new Map([[crm.id, crm]]),
    seal,
  });
}

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("merging incoming headers with the stored ones", () => {
  it("keeps stored values by id, sealed ones as they are (never sealed twice)", () => {
    const { saved, issues } = merge([
      { id: typed.id, name: "Authorization", secret: true },
      { id: plain.id, name: "X-Group", secret: false },
      { id: picked.id, name: "ignored", secret: true },
    ]);
    expect(issues).toEqual([]);
    expect(saved).toEqual([
      { id: typed.id, name: "Authorization", value: typed.value, secret: true, secretHeaderId: null },
      { id: plain.id, name: "X-Group", value: "growth", secret: false, secretHeaderId: null },
      { id: picked.id, name: "X-Api-Key", value: "", secret: true, secretHeaderId: "s-crm" },
    ]);
  });

  it("seals new secret values and leaves plain ones as typed; new headers have no id", () => {
    const { saved } = merge([
      { name: "Authorization", value: "Bearer new", secret: true },
      { id: "h-gone", name: "X-Team", value: "sales", secret: false },
    ]);
    expect(saved).toEqual([
      { id: undefined, name: "Authorization", value: "sb1.sealed.Bearer new", secret: true, secretHeaderId: null },
      { id: undefined, name: "X-Team", value: "sales", secret: false, secretHeaderId: null },
    ]);
  });

  it("seals a kept plain value made secret, even one that looks sealed already", () => {
    const lookalike: StoredHeader = { id: "h-look", name: "X-Look", value: "sb1.x.y.z", secret: false };
    const { saved } = merge(
      [
        { id: plain.id, name: "X-Team", secret: true },
        { id: lookalike.id, name: "X-Look", secret: true },
      ],
      { stored: [plain, lookalike] },
    );
    expect(saved.map((h) => [h.value, h.secret])).toEqual([
      ["sb1.sealed.growth", true],
      ["sb1.sealed.sb1.x.y.z", true],
    ]);
  });

  it("seals a kept secret stored before sealing existed", () => {
    const legacy: StoredHeader = { id: "h-old", name: "Authorization", value: "Bearer from-2023", secret: true };
    const { saved } = merge([{ id: legacy.id, name: "Authorization", secret: true }], { stored: [legacy] });
    expect(saved[0]?.value).toBe("sb1.sealed.Bearer from-2023");
  });

  it("refuses to drop the secret flag of a kept secret, typed or picked, without a new value", () => {
    const { issues } = merge([
      { id: typed.id, name: "Authorization", secret: false },
      { id: picked.id, name: "X-Api-Key", secret: false },
    ]);
    const message = "Enter a value to make this header non-secret; the secret value is not kept.";
    expect(issues).toEqual([
      { path: ["webhook", "headers", 0, "value"], code: "required", message },
      { path: ["webhook", "headers", 1, "value"], code: "required", message },
    ]);
    // With a new value it is a plain header like any other.
    const retyped = merge([{ id: typed.id, name: "Authorization", value: "public", secret: false }]);
    expect(retyped.issues).toEqual([]);
    expect(retyped.saved[0]).toMatchObject({ id: typed.id, value: "public", secret: false });
  });

  it("asks for the value of a header it cannot resolve, saying why", () => {
    const { issues } = merge([
      { name: "X-New", secret: false },
      { id: "h-gone", name: "X-Gone", secret: true },
    ]);
    expect(issues).toEqual([
      { path: ["webhook", "headers", 0, "value"], code: "required", message: "Header value is required." },
      {
        path: ["webhook", "headers", 1, "value"],
        code: "required",
        message: "This header no longer exists; enter its value again.",
      },
    ]);
  });

  it("has the rules check new values and kept plain ones, never a secret", () => {
    const { checked } = merge([
      { id: typed.id, name: "Authorization", secret: true },
      { id: plain.id, name: "X-Team", secret: false },
      { name: "X-New", value: "typed", secret: true },
      { secretHeaderId: "s-crm", name: "", secret: true },
    ]);
    expect(checked).toEqual([
      { name: "Authorization", value: "", secret: true },
      { name: "X-Team", value: "growth", secret: false },
      { name: "X-New", value: "typed", secret: true },
      { name: "X-Api-Key", value: "", secret: true },
    ]);
  });
});

describe("who may write secrets", () => {
  it("lets only admins type a secret value or make a plain one secret", () => {
    for (const incoming of [
      { name: "Authorization", value: "guess", secret: true },
      { id: plain.id, name: "X-Team", secret: true },
    ]) {
      expect(refusal(() => merge([incoming], { writer: MARKETER })).code).toBe("forbidden");
      expect(merge([incoming], { writer: ADMIN }).issues).toEqual([]);
    }
  });

  it("lets a marketer keep an admin's secret on its host, and move it only by typing the value again", () => {
    const keep = [{ id: typed.id, name: "Authorization", secret: true }];
    expect(merge(keep, { writer: MARKETER }).saved[0]?.value).toBe(typed.value);
    const elsewhere = { writer: MARKETER, url: "https://other.example.com/hook" };
    const refused = refusal(() => merge(keep, elsewhere));
    expect(refused.code).toBe("forbidden");
    expect(refused.errors).toEqual([
      {
        path: "body.webhook.headers.0.value",
        code: "secret_reentry_required",
        message:
          "Header Authorization sends a secret value an admin entered for crm.example.com; to send it to other.example.com, enter the value again, or ask an admin to change the URL.",
      },
    ]);
    const retyped = merge([{ id: typed.id, name: "Authorization", value: "sk_live_2", secret: true }], elsewhere);
    expect(retyped.saved[0]?.value).toBe("sb1.sealed.sk_live_2");
    // An admin moves it; a new webhook has nothing to move.
    expect(merge(keep, { url: elsewhere.url }).issues).toEqual([]);
    expect(merge(keep, { ...elsewhere, storedUrl: null }).saved[0]?.value).toBe(typed.value);
  });
});

describe("admin-made secret headers", () => {
  it("are picked by anyone, sent under their own name, and must exist", () => {
    const { saved, issues } = merge(
      [
        { secretHeaderId: "s-crm", name: "", secret: true },
        { secretHeaderId: "s-deleted", name: "X-Old", secret: true },
      ],
      { writer: MARKETER },
    );
    expect(saved[0]).toEqual({ id: undefined, name: "X-Api-Key", value: "", secret: true, secretHeaderId: "s-crm" });
    expect(issues).toEqual([
      {
        path: ["webhook", "headers", 1, "secretHeaderId"],
        code: "unknown_secret_header",
        message: "This secret header does not exist (any more); pick another.",
      },
    ]);
  });

  it("must allow the URL's host, kept or picked", () => {
    const { issues } = merge([{ id: picked.id, name: "X-Api-Key", secret: true }], {
      url: "https://other.example.com/hook",
    });
    expect(issues).toMatchObject([{ path: ["webhook", "url"], code: "host_not_allowed" }]);
    expect(issues[0]?.message).toContain('The secret header "CRM key"');
  });

  it("are listed once each, stored and incoming", () => {
    expect(
      referencedSecretHeaders(
        [
          { secretHeaderId: "s-crm", name: "", secret: true },
          { secretHeaderId: "s-new", name: "", secret: true },
        ],
        [picked, plain],
      ),
    ).toEqual(["s-crm", "s-new"]);
  });
});
