// Outpost console, alerts, agents, discovery and admin pages: forms whose fields need more than
// console.js's plain form posting (lists, local times, device names), and polling while a page
// shows something in progress. Everything still goes through the management API with
// window.outpost.api; nothing loads from elsewhere.
"use strict";
(function () {
  // ---- polling: while an element with data-poll="N" is on the page, refresh every N s ----
  function poll() {
    const element = document.querySelector("[data-poll]");
    const seconds = element ? Number(element.dataset.poll) : 0;
    if (element && seconds > 0 && !document.hidden && window.outpost) window.outpost.refresh();
    setTimeout(poll, (seconds >= 1 ? seconds : 2) * 1000);
  }

  // "2026-12-06T20:30" in a zone `offsetMinutes` east of UTC, as ISO 8601 in UTC.
  function utcFromLocal(value, offsetMinutes) {
    const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
    if (!match) throw new Error("not a date and time: " + value);
    const [, y, mo, d, h, mi] = match.map(Number);
    const utc = Date.UTC(y, mo - 1, d, h, mi) - offsetMinutes * 60000;
    return new Date(utc).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  function words(text) {
    return text.split(",").map((word) => word.trim()).filter((word) => word !== "");
  }

  // The ids of the devices named exactly so (one each), looked up through the API.
  async function deviceIDs(names) {
    const ids = [];
    for (const name of names) {
      const page = await window.outpost.api("GET", "/api/v1/devices?limit=50&search=" + encodeURIComponent(name));
      const found = ((page && page.devices) || []).filter((device) => device.name === name);
      if (found.length !== 1) {
        throw new Error(found.length ? "more than one device is named " + name : "no device is named " + name);
      }
      ids.push(found[0].id);
    }
    return ids;
  }

  // ---- forms: <form data-page-api="/api/v1/…" data-method="POST"> whose fields say their
  //      data-type: number, list (comma separated or a multiple select), local-time (in the
  //      form's data-offset-minutes zone), device-names (comma separated, sent as ids) ----
  async function body(form) {
    const result = {};
    const offset = Number(form.dataset.offsetMinutes || 0);
    for (const field of form.elements) {
      if (!field.name || field.disabled) continue;
      const type = field.dataset.type;
      if (field.type === "checkbox") { result[field.name] = field.checked; continue; }
      if (field.multiple) {
        const chosen = Array.from(field.selectedOptions, (option) => option.value);
        if (chosen.length) result[field.name] = chosen;
        continue;
      }
      if (field.value === "") continue;
      if (type === "number") result[field.name] = Number(field.value);
      else if (type === "list") result[field.name] = words(field.value);
      else if (type === "local-time") result[field.name] = utcFromLocal(field.value, offset);
      else if (type === "device-names") result[field.name] = await deviceIDs(words(field.value));
      else result[field.name] = field.value;
    }
    return result;
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-page-api]");
    if (!form || !window.outpost) return;
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    try {
      await window.outpost.api(form.dataset.method || "POST", form.dataset.pageApi, await body(form));
      window.outpost.say(form.dataset.done || "Saved.");
      form.reset();
      await window.outpost.refresh();
    } catch (e) {
      window.outpost.say(e.message, true);
    } finally {
      if (button) button.disabled = false;
    }
  });

  document.addEventListener("DOMContentLoaded", poll);
})();
