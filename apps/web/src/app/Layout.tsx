import { Megaphone, Moon, Phone, Send, Sun } from "lucide-react";
import { useEffect, useState } from "react";
import { NavLink, Outlet } from "react-router";
import { applyTheme, initialTheme, type Theme } from "./theme";
import { Toaster } from "./toasts";

export function Layout() {
  const [theme, setTheme] = useState<Theme>(initialTheme);
  useEffect(() => applyTheme(theme), [theme]);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Switchboard</span>
        <nav aria-label="Main">
          <NavLink to="/campaigns">
            <Megaphone size={16} aria-hidden /> Campaigns
          </NavLink>
          <NavLink to="/deliveries">
            <Send size={16} aria-hidden /> Deliveries
          </NavLink>
          <NavLink to="/senders">
            <Phone size={16} aria-hidden /> Senders
          </NavLink>
        </nav>
        <button
          type="button"
          className="icon-button"
          aria-label={theme === "dark" ? "Use light theme" : "Use dark theme"}
          onClick={() => setTheme(theme === "dark" ? "light" : "dark")}
        >
          {theme === "dark" ? <Sun size={18} aria-hidden /> : <Moon size={18} aria-hidden />}
        </button>
      </header>
      <main id="main">
        <Outlet />
      </main>
      <Toaster />
    </div>
  );
}
