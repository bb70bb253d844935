import { roleLabels } from "@switchboard/domain/role";
import {
  Inbox,
  KeyRound,
  LogOut,
  Megaphone,
  Moon,
  Phone,
  PlugZap,
  ScrollText,
  Send,
  Sun,
  Ticket,
  Users,
  UsersRound,
} from "lucide-react";
import { useEffect, useState } from "react";
import { Navigate, NavLink, Outlet, useLocation } from "react-router";
import { useCan, useSession } from "../api/session";
import { IconButton } from "../components/IconButton";
import { useSignOut } from "../features/account/api/account";
import styles from "./Layout.module.css";
import { Toaster } from "./Toaster";
import { applyTheme, initialTheme, type Theme } from "./theme";

export function Layout() {
  const [theme, setTheme] = useState<Theme>(initialTheme);
  useEffect(() => applyTheme(theme), [theme]);
  const session = useSession();
  const signOut = useSignOut();
  const isAdmin = useCan("admin");
  const isAgentOnly = session.data?.role === "agent";
  const location = useLocation();
  if (session.isPending) return <p className="page">Loading…</p>;
  if (!session.data) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  const me = session.data;
  return (
    <div>
      <a className={styles.skipLink} href="#main">
        Skip to content
      </a>
      <header className={styles.topbar}>
        <span className={styles.brand}>Switchboard</span>
        <nav aria-label="Main">
          {/* Agents work the inbox and nothing else (the API refuses them the rest). */}
          {!isAgentOnly && (
            <>
              <NavLink to="/campaigns">
                <Megaphone size={16} aria-hidden /> Campaigns
              </NavLink>
              <NavLink to="/deliveries">
                <Send size={16} aria-hidden /> Deliveries
              </NavLink>
              <NavLink to="/senders">
                <Phone size={16} aria-hidden /> Senders
              </NavLink>
            </>
          )}
          {(isAgentOnly || me.role === "marketer" || isAdmin) && (
            <NavLink to="/inbox">
              <Inbox size={16} aria-hidden /> Inbox
            </NavLink>
          )}
          {isAdmin && (
            <>
              <NavLink to="/admin/users">
                <Users size={16} aria-hidden /> Users
              </NavLink>
              <NavLink to="/admin/teams">
                <UsersRound size={16} aria-hidden /> Teams
              </NavLink>
              <NavLink to="/admin/secret-headers">
                <KeyRound size={16} aria-hidden /> Secret headers
              </NavLink>
              <NavLink to="/admin/integrations">
                <PlugZap size={16} aria-hidden /> Integrations
              </NavLink>
              <NavLink to="/admin/tokens">
                <Ticket size={16} aria-hidden /> API tokens
              </NavLink>
              <NavLink to="/admin/audit">
                <ScrollText size={16} aria-hidden /> Audit log
              </NavLink>
            </>
          )}
        </nav>
        <span className={styles.whoami}>
          <span className="visually-hidden">Signed in as </span>
          {me.name} <span className="badge">{roleLabels[me.role]}</span>
        </span>
        <IconButton label="Sign out" icon={LogOut} iconSize={18} onClick={() => signOut.mutate()} />
        <IconButton
          label={theme === "dark" ? "Use light theme" : "Use dark theme"}
          icon={theme === "dark" ? Sun : Moon}
          iconSize={18}
          onClick={() => setTheme(theme === "dark" ? "light" : "dark")}
        />
      </header>
      <main id="main">
        <Outlet />
      </main>
      <Toaster />
    </div>
  );
}

/** Where "/" leads: agents to their inbox, everyone else to the campaigns. */
export function HomeRedirect() {
  const me = useSession().data;
  return <Navigate to={me?.role === "agent" ? "/inbox" : "/campaigns"} replace />;
}
