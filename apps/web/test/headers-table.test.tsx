import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { HeadersTable } from "../src/components/HeadersTable";
import type { HeaderRow } from "../src/features/editor/model/entry-form";

const initial: HeaderRow[] = [
  {
    id: "55555555-5555-4555-8555-555555555555",
    name: "X-Api-Key",
    value: "",
    secret: true,
    storedSecret: true,
    masked: "••••1234",
  },
  {
    id: "66666666-6666-4666-8666-666666666666",
    name: "X-Source",
    value: "chatbot",
    secret: false,
    storedSecret: false,
  },
];

const library = [
  { id: "77777777-7777-4777-8777-777777777777", label: "CRM key", name: "X-Crm-Key", value: "••••wxyz" },
];

let latest: HeaderRow[] = [];
function Harness({
  admin = true,
  retype = false,
  reveal,
}: {
  admin?: boolean;
  retype?: boolean;
  reveal?: (id: string) => Promise<string>;
}) {
  const [headers, setHeaders] = useState(initial);
  latest = headers;
  return (
    <HeadersTable
      headers={headers}
      onChange={setHeaders}
      errorFor={() => undefined}
      canWriteSecrets={admin}
      canRetypeSecrets={retype}
      library={library}
      onReveal={reveal}
    />
  );
}

const rowOf = (name: string) => screen.getByRole("row", { name: `Header ${name}` });

describe("the Headers table", () => {
  it("reveals a stored secret only where the panel offers it (admins), asking the server for it", async () => {
    const { unmount } = render(<Harness />);
    expect(within(rowOf("X-Api-Key")).queryByRole("button", { name: "Reveal header" })).toBeNull();
    unmount();
    const asked: string[] = [];
    render(
      <Harness
        reveal={async (id) => {
          asked.push(id);
          return "sk_live_00001234";
        }}
      />,
    );
    await userEvent.click(within(rowOf("X-Api-Key")).getByRole("button", { name: "Reveal header" }));
    expect(await within(rowOf("X-Api-Key")).findByText("sk_live_00001234")).toBeTruthy();
    expect(asked).toEqual([initial[0]?.id]);
    expect(within(rowOf("X-Source")).queryByRole("button", { name: "Reveal header" })).toBeNull();
  });

  it("lets a marketer pick an admin-made secret header but not type a secret value", async () => {
    render(<Harness admin={false} />);
    // A stored secret typed by an admin is not the marketer's to edit (only to delete).
    expect(within(rowOf("X-Api-Key")).getByRole("button", { name: "Edit header" })).toHaveProperty("disabled", true);
    await userEvent.click(screen.getByRole("button", { name: "Add header" }));
    expect(screen.getByRole("checkbox", { name: "Secret" })).toHaveProperty("disabled", true);
    await userEvent.click(screen.getByRole("button", { name: "Cancel" }));
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Add secret header" }), "CRM key (X-Crm-Key)");
    const row = rowOf("X-Crm-Key");
    expect(within(row).getByText("••••wxyz")).toBeTruthy();
    expect(within(row).getByText("CRM key")).toBeTruthy();
    expect(within(row).getByRole("button", { name: "Edit header" })).toHaveProperty("disabled", true);
    expect(latest.at(-1)).toMatchObject({ secretHeaderId: library[0]?.id, value: "", secret: true });
    // The same secret header is offered once.
    expect(screen.getByRole("option", { name: "CRM key (X-Crm-Key)" })).toHaveProperty("disabled", true);
  });

  it("lets a marketer type a stored secret's value again when the webhook moves to another host", async () => {
    render(<Harness admin={false} retype />);
    await userEvent.click(within(rowOf("X-Api-Key")).getByRole("button", { name: "Edit header" }));
    // It stays secret: the marketer replaces the value, and cannot publish it.
    expect(screen.getByRole("checkbox", { name: "Secret" })).toHaveProperty("checked", true);
    expect(screen.getByRole("checkbox", { name: "Secret" })).toHaveProperty("disabled", true);
    await userEvent.type(screen.getByLabelText("Header value"), "Bearer typed_again");
    await userEvent.click(screen.getByRole("button", { name: "Save header" }));
    expect(latest[0]).toMatchObject({ name: "X-Api-Key", value: "Bearer typed_again", secret: true });
  });

  it("shows secret values masked, never in clear", () => {
    render(<Harness />);
    expect(within(rowOf("X-Api-Key")).getByText("••••1234")).toBeTruthy();
    expect(within(rowOf("X-Source")).getByText("chatbot")).toBeTruthy();
  });

  it("edits a header in place with Save, and Cancel puts it back", async () => {
    render(<Harness />);
    await userEvent.click(within(rowOf("X-Source")).getByRole("button", { name: "Edit header" }));
    const value = screen.getByRole("textbox", { name: "Header value" });
    await userEvent.clear(value);
    await userEvent.type(value, "crm");
    await userEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(latest[1]?.value).toBe("chatbot");

    await userEvent.click(within(rowOf("X-Source")).getByRole("button", { name: "Edit header" }));
    const again = screen.getByRole("textbox", { name: "Header value" });
    await userEvent.clear(again);
    await userEvent.type(again, "crm");
    await userEvent.click(screen.getByRole("button", { name: "Save header" }));
    expect(latest[1]).toMatchObject({ name: "X-Source", value: "crm" });
  });

  it("keeps a stored secret when it is edited without typing a new value", async () => {
    render(<Harness />);
    await userEvent.click(within(rowOf("X-Api-Key")).getByRole("button", { name: "Edit header" }));
    expect(screen.getByPlaceholderText("Unchanged — type to replace")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Save header" }));
    expect(latest[0]).toMatchObject({ value: "", storedSecret: true, secret: true });
  });

  it("deletes a header", async () => {
    render(<Harness />);
    await userEvent.click(within(rowOf("X-Api-Key")).getByRole("button", { name: "Delete header" }));
    expect(latest.map((h) => h.name)).toEqual(["X-Source"]);
  });

  it("refuses a reserved or duplicate name beside the field", async () => {
    render(<Harness />);
    await userEvent.click(screen.getByRole("button", { name: "Add header" }));
    await userEvent.type(screen.getByRole("textbox", { name: "Header name" }), "webhook-signature");
    await userEvent.type(screen.getByRole("textbox", { name: "Header value" }), "x");
    await userEvent.click(screen.getByRole("button", { name: "Save header" }));
    expect(screen.getByRole("alert").textContent).toMatch(/reserved for the platform's signature/);

    const name = screen.getByRole("textbox", { name: "Header name" });
    await userEvent.clear(name);
    await userEvent.type(name, "x-source");
    await userEvent.click(screen.getByRole("button", { name: "Save header" }));
    expect(screen.getByRole("alert").textContent).toMatch(/already defined/);

    await userEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(latest).toHaveLength(2);
  });
});
