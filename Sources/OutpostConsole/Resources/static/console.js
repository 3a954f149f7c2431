// Outpost console: login, logout, time-zone switch, actions through the management API, and
// live updates. Pages are rendered by the collector; this script only posts what an operator
// does to /api/v1 and, when the collector reports a change (Server-Sent Events on
// /console/events), fetches the page again and swaps its <main>. Nothing loads from elsewhere.
"use strict";
(function () {
  function cookie(name) {
    const found = document.cookie.split("; ").find((c) => c.startsWith(name + "="));
    return found ? decodeURIComponent(found.slice(name.length + 1)) : null;
  }

  // Calls the management API with the session's CSRF token; resolves to the parsed JSON (or
  // null), rejects with the API's error message.
  async function api(method, path, body) {
    const headers = { "Accept": "application/json" };
    const csrf = cookie("outpost_csrf");
    if (csrf) headers["X-CSRF-Token"] = csrf;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) {
      // A session that ended sends to the login page; a refused login stays on its form.
      if (response.status === 401 && path !== "/api/v1/session") {
        location.assign("/login?next=" + encodeURIComponent(location.pathname + location.search));
      }
      throw new Error((data && data.error) || response.statusText);
    }
    return data;
  }

  function say(message, isError) {
    let box = document.getElementById("flash");
    if (!box) {
      box = document.createElement("p");
      box.id = "flash";
      box.setAttribute("role", "status");
      document.body.appendChild(box);
    }
    box.textContent = message;
    box.className = isError ? "flash error" : "flash";
    clearTimeout(say.timer);
    say.timer = setTimeout(() => box.remove(), 6000);
  }

  // ---- login ----
  function setUpLogin(form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const error = document.getElementById("login-error");
      error.hidden = true;
      try {
        await api("POST", "/api/v1/session", {
          username: form.username.value, password: form.password.value,
        });
        location.assign(form.dataset.next || "/");
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
      }
    });
  }

  // ---- page refresh: fetch this page again and swap <main> ----
  let refreshing = false;
  let refreshAgain = false;
  async function refresh() {
    if (refreshing) { refreshAgain = true; return; }
    const main = document.getElementById("main");
    if (!main || !main.querySelector("[data-live], [data-device], [data-branch]")) return;
    // Never throw away what an operator is typing.
    if (main.contains(document.activeElement) && document.activeElement.matches("input, textarea, select")) {
      refreshAgain = true;
      return;
    }
    refreshing = true;
    try {
      const response = await fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } });
      if (response.redirected || response.status === 401) { location.reload(); return; }
      if (!response.ok) return;
      const html = await response.text();
      const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("main");
      if (fresh) {
        main.innerHTML = fresh.innerHTML;
        document.dispatchEvent(new CustomEvent("outpost:refreshed"));
      }
    } finally {
      refreshing = false;
      if (refreshAgain) { refreshAgain = false; setTimeout(refresh, 200); }
    }
  }

  // Whether an event concerns what this page shows: a page lists the devices and branches it
  // shows (data-device, data-branch); "all" pages care about every change.
  function concerns(change) {
    const main = document.getElementById("main");
    if (!main) return false;
    if (main.querySelector('[data-live="all"]')) return true;
    if (change.device && main.querySelector('[data-device="' + CSS.escape(change.device) + '"]')) return true;
    if (change.branch && main.querySelector('[data-branch="' + CSS.escape(change.branch) + '"]')) return true;
    return false;
  }

  function listen() {
    const status = document.getElementById("live-status");
    if (!status || !window.EventSource) return;
    let timer = null;
    const source = new EventSource("/console/events");
    source.addEventListener("open", () => { status.textContent = "live"; status.className = "live on"; });
    source.addEventListener("error", () => { status.textContent = "offline"; status.className = "live off"; });
    // The collector lost track of what this page missed (a slow page, or its database
    // connection came back): fetch the page again if anything on it is live.
    source.addEventListener("resync", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 150);
    });
    source.addEventListener("change", (event) => {
      let change = {};
      try { change = JSON.parse(event.data); } catch (e) { change = {}; }
      if (!concerns(change)) return;
      clearTimeout(timer);
      timer = setTimeout(refresh, 150);
    });
  }

  // ---- actions: <button data-action="api" data-method="POST" data-path="/api/v1/…"
  //      [data-body='{"…"}'] [data-comment="Prompt text"] [data-confirm="Question?"]> ----
  async function act(button) {
    let body = button.dataset.body ? JSON.parse(button.dataset.body) : undefined;
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    if (button.dataset.comment !== undefined) {
      const comment = window.prompt(button.dataset.comment || "Comment", "");
      if (comment === null) return;
      body = Object.assign(body || {}, { comment });
    }
    button.disabled = true;
    try {
      await api(button.dataset.method || "POST", button.dataset.path, body);
      say(button.dataset.done || "Done.");
      await refresh();
    } catch (e) {
      say(e.message, true);
    } finally {
      button.disabled = false;
    }
  }

  // ---- forms posting JSON: <form data-api="/api/v1/…" data-method="POST"> ----
  async function submitForm(form) {
    const body = {};
    for (const field of form.elements) {
      if (!field.name || field.disabled) continue;
      if (field.type === "checkbox") body[field.name] = field.checked;
      else if (field.value !== "") body[field.name] = field.dataset.type === "number" ? Number(field.value) : field.value;
    }
    try {
      await api(form.dataset.method || "POST", form.dataset.api, body);
      say(form.dataset.done || "Saved.");
      form.reset();
      await refresh();
    } catch (e) {
      say(e.message, true);
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    if (action === "api") act(button);
    else if (action === "logout") {
      api("DELETE", "/api/v1/session").finally(() => location.assign("/login"));
    }
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-zone]");
    if (!button) return;
    document.cookie = "outpost_tz=" + encodeURIComponent(button.dataset.zone) + "; path=/; max-age=31536000; samesite=strict";
    location.reload();
  });
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-api]");
    if (!form) return;
    event.preventDefault();
    submitForm(form);
  });

  window.outpost = { api, refresh, say };
  document.addEventListener("DOMContentLoaded", () => {
    const login = document.getElementById("login-form");
    if (login) setUpLogin(login);
    else listen();
  });
})();
