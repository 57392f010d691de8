// The console's only script: copy buttons, row menus and confirmation dialogs. Loaded from our origin (CSP forbids inline script).
"use strict";

document.addEventListener("click", async (event) => {
  const copy = event.target.closest("[data-copy]");
  if (copy) {
    const source = document.getElementById(copy.dataset.copy);
    await navigator.clipboard.writeText(source.textContent.trim());
    copy.textContent = "Copied";
    setTimeout(() => (copy.textContent = "Copy"), 2000);
    return;
  }
  const toggle = event.target.closest("[data-toggle]");
  if (toggle) {
    const target = document.getElementById(toggle.dataset.toggle);
    target.hidden = !target.hidden;
    toggle.setAttribute("aria-expanded", String(!target.hidden));
    if (!target.hidden) target.querySelector("input, select, textarea, button")?.focus();
    return;
  }
  const opener = event.target.closest("[aria-haspopup='menu']");
  if (opener) {
    const menu = document.getElementById(opener.getAttribute("aria-controls"));
    menu.hidden ? openMenu(opener, menu) : closeMenus();
    return;
  }
  const dialogOpener = event.target.closest("[data-dialog]");
  if (dialogOpener) {
    closeMenus();
    const dialog = document.getElementById(dialogOpener.dataset.dialog);
    dialog.showModal();
    return;
  }
  const closer = event.target.closest("[data-close]");
  if (closer) {
    closer.closest("dialog").close();
    return;
  }
  if (!event.target.closest("[role='menu']")) closeMenus();
});

function openMenu(opener, menu) {
  closeMenus();
  menu.hidden = false;
  opener.setAttribute("aria-expanded", "true");
  menu.querySelector("[role='menuitem']")?.focus();
}

function closeMenus() {
  for (const menu of document.querySelectorAll("[role='menu']:not([hidden])")) {
    menu.hidden = true;
    document.querySelector(`[aria-controls='${menu.id}']`)?.setAttribute("aria-expanded", "false");
  }
}

// Keyboard use of a menu: arrows move, Home/End jump, Escape closes and returns focus to the button.
document.addEventListener("keydown", (event) => {
  const menu = event.target.closest("[role='menu']");
  if (!menu) return;
  const items = [...menu.querySelectorAll("[role='menuitem']")];
  const index = items.indexOf(event.target);
  const move = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: items.length - 1 }[event.key];
  if (move !== undefined) {
    event.preventDefault();
    items[(move + items.length) % items.length].focus();
  } else if (event.key === "Escape" || event.key === "Tab") {
    const opener = document.querySelector(`[aria-controls='${menu.id}']`);
    closeMenus();
    if (event.key === "Escape") opener?.focus();
  }
});

// A page that shows a secret was the answer to a POST. Make its address the plain page, so that
// reloading fetches the list again instead of re-sending the form (and the secret never comes back).
const shown = document.querySelector("[data-replace-url]");
if (shown) history.replaceState(null, "", shown.dataset.replaceUrl);

// Pages with texts still on their way ask to be reloaded until the carrier has reported (data-refresh=seconds),
// but not while the person is typing: a reload must not throw their words away.
const refreshing = document.querySelector("[data-refresh]");
if (refreshing) {
  const wait = Math.max(1, Number(refreshing.dataset.refresh) || 0) * 1000;
  const typing = () => document.activeElement?.matches("input, textarea, select") ||
    [...document.querySelectorAll("input, textarea")].some((field) => field.value !== field.defaultValue);
  const tick = () => (typing() ? setTimeout(tick, wait) : location.reload());
  setTimeout(tick, wait);
}

// A form is sent once: a double click on "Send" must not text the student twice (nor create two credentials).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.method !== "post") return;
  if (form.dataset.sent) {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "true";
});
