import { zodResolver } from "@hookform/resolvers/zod";
import { LogIn } from "lucide-react";
import { useForm } from "react-hook-form";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { z } from "zod";
import { FormError } from "../../../components/form-error";
import { TextField } from "../../../components/text-field";
import { ApiError } from "../../../lib/api-client";
import { useSession, useSignIn } from "../api/session";

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
    <main id="main" className="auth-page">
      <form className="card auth-card" onSubmit={onSubmit} aria-label="Sign in" noValidate>
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

const AFTER_SIGN_IN = "/campaigns";
/** Stands for this app's origin: what `next` resolves to must stay on it. */
const THIS_APP = "https://switchboard.invalid";

/** Only paths inside this app: a crafted ?next= must not send people elsewhere. */
export function safeNext(next: string | null): string {
  // Browsers read "\" as "/" and drop tabs and newlines, so "/\evil.example" and "/\t/evil.example" are
  // "//evil.example"; encoded slashes are refused too, lest something on the way decode them.
  if (!next?.startsWith("/") || /[\\\p{Cc}]|%2f|%5c/iu.test(next)) return AFTER_SIGN_IN;
  let url: URL;
  try {
    url = new URL(next, THIS_APP);
  } catch {
    return AFTER_SIGN_IN;
  }
  // Dot segments can still leave a path that starts with "//" ("/.//evil.example").
  if (url.origin !== THIS_APP || url.pathname.startsWith("//")) return AFTER_SIGN_IN;
  return url.pathname + url.search + url.hash;
}
