import { zodResolver } from "@hookform/resolvers/zod";
import { userInput } from "@switchboard/contracts/auth";
import { type Role, roleLabels } from "@switchboard/domain/role";
import { UserPlus } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { useSession } from "../../../api/session";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import { LabelOptions } from "../../../components/LabelOptions";
import { ShownOnce } from "../../../components/ShownOnce";
import { TableHead } from "../../../components/TableHead";
import { TextField } from "../../../components/TextField";
import { ApiError } from "../../../lib/api-client";
import { applyServerErrors } from "../../../lib/server-errors";
import { showToast } from "../../../lib/toasts";
import {
  type PasswordLink,
  useDeleteUser,
  useInviteUser,
  useResetPassword,
  useUpdateUser,
  useUsers,
} from "../api/admin";

type Values = z.input<typeof userInput>;

export function UsersPage() {
  const users = useUsers();
  const me = useSession().data;
  const invite = useInviteUser();
  const update = useUpdateUser();
  const reset = useResetPassword();
  const remove = useDeleteUser();
  const [deleting, setDeleting] = useState<{ id: string; email: string } | null>(null);
  const confirmDelete = async () => {
    if (!deleting) return;
    const { id, email } = deleting;
    setDeleting(null);
    try {
      await remove.mutateAsync(id);
      showToast({ kind: "success", message: `${email} deleted.` });
    } catch (error) {
      // The API says why (your own account, the last admin); nothing was deleted.
      showToast({ kind: "error", message: error instanceof ApiError ? error.message : `Could not delete ${email}.` });
    }
  };
  const [link, setLink] = useState<{ label: string; link: PasswordLink } | null>(null);
  const form = useForm<Values>({
    resolver: zodResolver(userInput),
    defaultValues: { email: "", name: "", role: "marketer" },
  });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const created = await invite.mutateAsync(values as { email: string; name: string; role: Role });
      setLink({ label: `Set-password link for ${created.user.email}`, link: created.link });
      form.reset({ email: "", name: "", role: values.role });
    } catch (error) {
      applyServerErrors(error, form.setError, ["email", "name", "role"]);
    }
  });

  return (
    <div className="page">
      <header className="page-header">
        <h1>Users</h1>
        <p className="muted">
          Admins manage users, senders, secret headers and integrations; marketers build and publish campaigns; viewers
          read; agents answer Live Chat conversations in the inbox of their teams.
        </p>
      </header>
      <form className="card form-grid" onSubmit={onSubmit} aria-label="Invite a user" noValidate>
        <TextField
          id="user-email"
          label="Email"
          registration={form.register("email")}
          error={errors.email?.message}
          type="email"
        />
        <TextField id="user-name" label="Name" registration={form.register("name")} error={errors.name?.message} />
        <div className="field">
          <label htmlFor="user-role">Role</label>
          <select id="user-role" {...form.register("role")}>
            <LabelOptions labels={roleLabels} />
          </select>
        </div>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={invite.isPending}>
            <UserPlus size={16} aria-hidden /> Invite
          </button>
        </div>
      </form>
      {link && <ShownOnce label={link.label} value={link.link.url} onDone={() => setLink(null)} />}
      <table className="table" aria-label="Users">
        <TableHead columns={["Name", "Email", "Role", "Status", "Last sign-in", "Actions"]} />
        <tbody>
          {users.data?.items.map((u) => (
            <tr key={u.id}>
              <td>{u.name}</td>
              <td>{u.email}</td>
              <td>
                <select
                  aria-label={`Role of ${u.email}`}
                  value={u.role}
                  disabled={u.id === me?.id}
                  onChange={(e) => update.mutate({ id: u.id, role: e.target.value as Role })}
                >
                  <LabelOptions labels={roleLabels} />
                </select>
              </td>
              <td>
                {u.disabled
                  ? "Disabled"
                  : u.lockedUntil
                    ? `Locked until ${new Date(u.lockedUntil).toLocaleTimeString()}`
                    : u.hasPassword
                      ? "Active"
                      : "Invited"}
              </td>
              <td>{u.lastSignInAt ? new Date(u.lastSignInAt).toLocaleString() : "Never"}</td>
              <td className="actions">
                <button
                  type="button"
                  className="button"
                  onClick={async () => {
                    const l = await reset.mutateAsync(u.id);
                    setLink({ label: `Password reset link for ${u.email}`, link: l });
                  }}
                >
                  Reset password
                </button>
                {u.id !== me?.id && (
                  <button
                    type="button"
                    className="button"
                    onClick={() =>
                      update.mutate(
                        { id: u.id, disabled: !u.disabled },
                        {
                          onSuccess: () =>
                            showToast({
                              kind: "success",
                              message: `${u.email} ${u.disabled ? "enabled" : "disabled"}.`,
                            }),
                        },
                      )
                    }
                  >
                    {u.disabled ? "Enable" : "Disable"}
                  </button>
                )}
                {u.id !== me?.id && (
                  <button
                    type="button"
                    className="button"
                    aria-label={`Delete ${u.email}`}
                    onClick={() => setDeleting({ id: u.id, email: u.email })}
                  >
                    Delete
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {deleting && (
        <ConfirmDialog
          label={`Delete ${deleting.email}`}
          question={`Delete ${deleting.email}? They are signed out now and cannot sign in again; the audit log keeps what they did.`}
          cancelLabel="Keep user"
          confirmLabel="Delete user"
          onCancel={() => setDeleting(null)}
          onConfirm={() => void confirmDelete()}
        />
      )}
    </div>
  );
}
