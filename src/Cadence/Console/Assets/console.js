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

// Live pages (the inbox, a conversation): the server says "change" over Server-Sent Events and the page reads
// itself again, replacing each [data-live] region that differs (one with data-version only when that changed,
// so a half-written reply survives). When the stream is down, the page polls instead.
const live = document.querySelector("[data-live-url]");
if (live) {
  let busy = false;
  let again = false;
  const refresh = async () => {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const response = await fetch(location.href, { headers: { "X-Live": "1" }, credentials: "same-origin" });
      if (response.ok && !response.redirected) {
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
        for (const region of document.querySelectorAll("[data-live][id]")) {
          const next = fresh.getElementById(region.id);
          if (!next) continue;
          const changed = region.dataset.version !== undefined ? next.dataset.version !== region.dataset.version : next.innerHTML !== region.innerHTML;
          if (changed) {
            const focused = document.activeElement?.closest("[data-key]")?.dataset.key;
            region.replaceWith(next);
            if (focused) next.querySelector(`[data-key="${focused}"]`)?.focus();
          }
        }
        document.body.dataset.refreshed = String(Date.now());
      }
    } catch { /* the next signal or poll tries again */ }
    busy = false;
    if (again) { again = false; refresh(); }
  };
  let poll = null;
  const startPolling = () => { poll ??= setInterval(refresh, 5000); };
  const stopPolling = () => { clearInterval(poll); poll = null; };
  if ("EventSource" in window) {
    const source = new EventSource(live.dataset.liveUrl);
    // On (re)connecting, read once: a change between the page's rendering and the stream's start was not heard.
    source.addEventListener("ready", () => { stopPolling(); document.body.dataset.live = "open"; refresh(); });
    source.addEventListener("change", refresh);
    source.addEventListener("error", () => { document.body.dataset.live = "polling"; startPolling(); });
  } else {
    startPolling();
  }
}

// Arrow keys (and j/k) move between conversations in a list.
document.addEventListener("keydown", (event) => {
  const list = event.target.closest?.("[data-keyboard-list]");
  if (!list || !["ArrowDown", "ArrowUp", "j", "k"].includes(event.key) || event.ctrlKey || event.altKey || event.metaKey) return;
  const links = [...list.querySelectorAll("a[data-key]")];
  const index = links.indexOf(event.target.closest("a"));
  const next = links[index + (event.key === "ArrowDown" || event.key === "j" ? 1 : -1)];
  if (next) { event.preventDefault(); next.focus(); }
});

// The reply box: Ctrl+Enter sends; a template button inserts its text at the cursor; a live count of characters and SMS segments.
const gsm = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const gsmExtension = "^{}\\[~]|€\f";
function segments(text) {
  let septets = 0;
  for (const c of text) {
    if (gsm.includes(c)) septets++;
    else if (gsmExtension.includes(c)) septets += 2;
    else {
      const units = text.length;
      return units <= 70 ? 1 : Math.ceil(units / 67);
    }
  }
  return septets <= 160 ? 1 : Math.ceil(septets / 153);
}
function countReply(textarea) {
  const output = document.getElementById("reply-count");
  if (!output) return;
  const n = textarea.value.length;
  const parts = segments(textarea.value);
  output.textContent = `${n} of ${Number(output.dataset.max).toLocaleString("en")} characters · ${parts} segment${parts === 1 ? "" : "s"}`;
}
document.addEventListener("input", (event) => { if (event.target.id === "reply") countReply(event.target); });
document.addEventListener("keydown", (event) => {
  if (event.target.id === "reply" && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    event.target.form.requestSubmit();
  }
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-template]");
  if (!button) return;
  const reply = document.getElementById("reply");
  const start = reply.selectionStart ?? reply.value.length;
  reply.setRangeText(button.dataset.template, start, reply.selectionEnd ?? start, "end");
  reply.focus();
  countReply(reply);
});
if (document.getElementById("reply")) countReply(document.getElementById("reply"));
