import { zodResolver } from "@hookform/resolvers/zod";
import { teamInput } from "@switchboard/contracts/live-chat";
import { roleLabels } from "@switchboard/domain/role";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { useTeams } from "../../../api/teams";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import { EmptyRow } from "../../../components/EmptyRow";
import { TableHead } from "../../../components/TableHead";
import { TextField } from "../../../components/TextField";
import { ApiError } from "../../../lib/api-client";
import { applyServerErrors } from "../../../lib/server-errors";
import { showToast } from "../../../lib/toasts";
import { useAddMember, useCreateTeam, useDeleteTeam, useRemoveMember, useRenameTeam, useUsers } from "../api/admin";

type Values = z.input<typeof teamInput>;
type Team = NonNullable<ReturnType<typeof useTeams>["data"]>["items"][number];

const failed = (error: unknown, fallback: string) =>
  showToast({ kind: "error", message: error instanceof ApiError ? error.message : fallback });

/** Live Chat's teams: a Live Chat entry hands its conversations to one team's inbox; agents see their teams' only. */
export function TeamsPage() {
  const teams = useTeams();
  const create = useCreateTeam();
  const remove = useDeleteTeam();
  const [deleting, setDeleting] = useState<Team | null>(null);
  const form = useForm<Values>({ resolver: zodResolver(teamInput), defaultValues: { name: "" } });
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await create.mutateAsync({ name: values.name.trim() });
      form.reset({ name: "" });
      showToast({ kind: "success", message: `Team ${values.name.trim()} created.` });
    } catch (error) {
      applyServerErrors(error, form.setError, ["name"]);
    }
  });
  return (
    <div className="page">
      <header className="page-header">
        <h1>Teams</h1>
        <p className="muted">
          A Live Chat entry hands its conversations to a team's inbox. Agents see their teams' conversations only;
          marketers and admins see every team's.
        </p>
      </header>
      <form className="card form-grid" onSubmit={onSubmit} aria-label="Create a team" noValidate>
        <TextField
          id="team-name"
          label="Team name"
          registration={form.register("name")}
          error={form.formState.errors.name?.message}
        />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={create.isPending}>
            Create team
          </button>
        </div>
      </form>
      <table className="table" aria-label="Teams">
        <TableHead columns={["Team", "Members", "Actions"]} />
        <tbody>
          {teams.data?.items.map((t) => (
            <TeamRow key={t.id} team={t} onDelete={() => setDeleting(t)} />
          ))}
          {teams.data?.items.length === 0 && <EmptyRow columns={3}>No team yet.</EmptyRow>}
        </tbody>
      </table>
      {deleting && (
        <ConfirmDialog
          label={`Delete team ${deleting.name}`}
          question={`Delete the team ${deleting.name}? A team a Live Chat entry hands conversations to cannot be deleted; its members stay users.`}
          cancelLabel="Keep team"
          confirmLabel="Delete team"
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            const team = deleting;
            setDeleting(null);
            remove.mutate(team.id, {
              onSuccess: () => showToast({ kind: "success", message: `Team ${team.name} deleted.` }),
              onError: (error) => failed(error, `Could not delete ${team.name}.`),
            });
          }}
        />
      )}
    </div>
  );
}

function TeamRow({ team, onDelete }: { team: Team; onDelete: () => void }) {
  const users = useUsers();
  const rename = useRenameTeam();
  const add = useAddMember();
  const removeMember = useRemoveMember();
  const [name, setName] = useState(team.name);
  const [adding, setAdding] = useState("");
  const members = new Set(team.members.map((m) => m.userId));
  // Viewers do not work the inbox; disabled users cannot sign in.
  const candidates = (users.data?.items ?? []).filter((u) => !members.has(u.id) && !u.disabled && u.role !== "viewer");
  return (
    <tr>
      <th scope="row">
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim() && name.trim() !== team.name)
              rename.mutate(
                { id: team.id, name: name.trim() },
                { onError: (error) => failed(error, "Could not rename.") },
              );
          }}
        >
          <input aria-label={`Name of team ${team.name}`} value={name} onChange={(e) => setName(e.target.value)} />
          <button type="submit" className="button small" disabled={rename.isPending || name.trim() === team.name}>
            Rename
          </button>
        </form>
      </th>
      <td>
        <ul className="plain-list" aria-label={`Members of ${team.name}`}>
          {team.members.map((m) => (
            <li key={m.userId}>
              {m.name} <span className="badge">{roleLabels[m.role as keyof typeof roleLabels] ?? m.role}</span>{" "}
              <button
                type="button"
                className="button small"
                aria-label={`Remove ${m.name} from ${team.name}`}
                onClick={() =>
                  removeMember.mutate(
                    { teamId: team.id, userId: m.userId },
                    { onError: (error) => failed(error, `Could not remove ${m.name}.`) },
                  )
                }
              >
                Remove
              </button>
            </li>
          ))}
          {team.members.length === 0 && <li className="muted">Nobody yet.</li>}
        </ul>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!adding) return;
            add.mutate(
              { teamId: team.id, userId: adding },
              { onSuccess: () => setAdding(""), onError: (error) => failed(error, "Could not add the member.") },
            );
          }}
        >
          <select
            aria-label={`Add a member to ${team.name}`}
            value={adding}
            onChange={(e) => setAdding(e.target.value)}
          >
            <option value="">Choose a person…</option>
            {candidates.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({roleLabels[u.role]})
              </option>
            ))}
          </select>
          <button type="submit" className="button small" disabled={!adding || add.isPending}>
            Add member
          </button>
        </form>
      </td>
      <td className="actions">
        <button type="button" className="button" aria-label={`Delete team ${team.name}`} onClick={onDelete}>
          Delete
        </button>
      </td>
    </tr>
  );
}
