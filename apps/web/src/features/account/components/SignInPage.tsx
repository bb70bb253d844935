import { zodResolver } from "@hookform/resolvers/zod";
import { LogIn } from "lucide-react";
import { useForm } from "react-hook-form";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { z } from "zod";
import { useSession } from "../../../api/session";
import { FormError } from "../../../components/FormError";
import { TextField } from "../../../components/TextField";
import { ApiError } from "../../../lib/api-client";
import { useSignIn } from "../api/account";
import { safeNext } from "../model/safe-next";
import styles from "./account.module.css";

const schema = z.object({
  email: z
    .string()
    .trim()
    .min(1, "Email is required.")
    .pipe(z.email("Enter an email address such as ana@example.com.")),
  password: z.string().min(1, "Password is required."),
});
type Values = z.infer<typeof schema>;

/** Where a person signs in; `?next=` brings them back to the page they were sent away from. */
export function SignInPage() {
  const session = useSession();
  const signIn = useSignIn();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { email: "", password: "" } });
  const { errors, isSubmitting } = form.formState;

  if (session.data) return <Navigate to={next} replace />;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await signIn.mutateAsync(values);
      navigate(next, { replace: true });
    } catch (error) {
      form.setError("root", {
        message: error instanceof ApiError ? error.message : "Could not sign in; try again.",
      });
    }
  });

  return (
    <main id="main" className={styles.authPage}>
      <form className={`card ${styles.authCard}`} onSubmit={onSubmit} aria-label="Sign in" noValidate>
        <h1>Sign in to Switchboard</h1>
        <TextField
          id="sign-in-email"
          label="Email"
          registration={form.register("email")}
          error={errors.email?.message}
          type="email"
          autoComplete="username"
        />
        <TextField
          id="sign-in-password"
          label="Password"
          registration={form.register("password")}
          error={errors.password?.message}
          type="password"
          autoComplete="current-password"
        />
        <FormError message={errors.root?.message} />
        <button type="submit" className="button primary" disabled={isSubmitting}>
          <LogIn size={16} aria-hidden /> Sign in
        </button>
        <p className="muted small">Forgot your password? An admin can send you a link to set a new one.</p>
      </form>
    </main>
  );
}
