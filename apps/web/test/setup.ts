import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

afterEach(() => cleanup());

// jsdom has <dialog> but not its methods (jsdom issue 3294): enough of them to open one, focus its first control as
// browsers do, and close it. What is the browser's alone (the page behind made inert) is left to the end-to-end suite.
if (typeof HTMLDialogElement.prototype.showModal !== "function") {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute("open", "");
    this.querySelector<HTMLElement>(
      "[autofocus], button:not(:disabled), input:not(:disabled), select, textarea",
    )?.focus();
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    if (!this.hasAttribute("open")) return;
    this.removeAttribute("open");
    this.dispatchEvent(new Event("close"));
  };
}
