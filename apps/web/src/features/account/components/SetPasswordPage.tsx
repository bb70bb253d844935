import { zodResolver } from "@hookform/resolvers/zod";
import { passwordProblem } from "@switchboard/domain/role";
import { useQuery } from "@tanstack/react-query";
import { KeyRound } from "lucide-react";
import { useForm } from "react-hook-form";
import { useNavigate } from "react-router";
import { z } from "zod";
import { FormError } from "../../../components/FormError";
import { TextField } from "../../../components/TextField";
import { ApiError } from "../../../lib/api-client";
import { applyServerErrors } from "../../../lib/server-errors";
import { linkStatusQuery, useSetPassword } from "../api/account";
import styles from "./account.module.css";

const schema = (setup: boolean, email: string) =>
  z
    .object({
      email: setup ? z.string().trim().pipe(z.email("Enter an email address such as ana@example.com.")) : z.string(),
      name: setup ? z.string().trim().min(1, "Name is required.") : z.string(),
      password: z.string(),
      confirm: z.string(),
    })
    .superRefine((v, ctx) => {
      const problem = passwordProblem(v.password, setup ? v.email : email);
      if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
      if (v.confirm !== v.password)
        ctx.addIssue({ code: "custom", path: ["confirm"], message: "The passwords differ." });
    });
type Values = { email: string; name: string; password: string; confirm: string };

/**
 * One page for the three one-time links: the first admin's setup (printed at first start), an invitation and an
 * admin's password reset. The token travels in the URL's fragment, so it never reaches server logs or Referer headers.
 */
export function SetPasswordPage() {
  const token = new URLSearchParams(window.location.hash.slice(1)).get("token") ?? "";
  const link = useQuery({ ...linkStatusQuery(token), enabled: token !== "" });
  const setup = link.data?.purpose === "setup";
  const email = link.data?.email ?? "";
  const save = useSetPassword();
  const navigate = useNavigate();
  const form = useForm<Values>({
    resolver: zodResolver(schema(setup, email)),
    defaultValues: { email: "", name: "", password: "", confirm: "" },
  });
  const { errors, isSubmitting } = form.formState;

  if (!token || link.isError) {
    return (
      <main id="main" className={styles.authPage}>
        <div className={`card ${styles.authCard}`} role="alert">
          <h1>This link cannot be used</h1>
          <p>
            {link.error instanceof ApiError
              ? link.error.message
              : "The link is incomplete. Open the whole link you were given, or ask an admin for a new one."}
          </p>
        </div>
      </main>
    );
  }
  if (!link.data) return <p className="page">Checking your link…</p>;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await save.mutateAsync(
        setup
          ? { token, email: values.email, name: values.name, password: values.password }
          : { token, password: values.password },
      );
      navigate("/", { replace: true });
    } catch (error) {
      if (!applyServerErrors(error, form.setError, ["email", "name", "password"])) {
        form.setError("root", { message: error instanceof ApiError ? error.message : "Could not save; try again." });
      }
    }
  });

  const title = setup
    ? "Create the first admin"
    : link.data.purpose === "invite"
      ? "Welcome to Switchboard"
      : "Set a new password";
  return (
    <main id="main" className={styles.authPage}>
      <form className={`card ${styles.authCard}`} onSubmit={onSubmit} aria-label={title} noValidate>
        <h1>{title}</h1>
        {!setup && <p className="muted">Choose the password for {email}.</p>}
        {setup && (
          <>
            <TextField
              id="setup-email"
              label="Email"
              registration={form.register("email")}
              error={errors.email?.message}
              type="email"
              autoComplete="username"
            />
            <TextField
              id="setup-name"
              label="Name"
              registration={form.register("name")}
              error={errors.name?.message}
              autoComplete="name"
            />
          </>
        )}
        <TextField
          id="new-password"
          label="New password"
          registration={form.register("password")}
          error={errors.password?.message}
          hint="At least 12 characters; a few words work well."
          type="password"
          autoComplete="new-password"
        />
        <TextField
          id="confirm-password"
          label="Repeat the password"
          registration={form.register("confirm")}
          error={errors.confirm?.message}
          type="password"
          autoComplete="new-password"
        />
        <FormError message={errors.root?.message} />
        <button type="submit" className="button primary" disabled={isSubmitting}>
          <KeyRound size={16} aria-hidden /> {setup ? "Create admin" : "Set password"}
        </button>
      </form>
    </main>
  );
}
