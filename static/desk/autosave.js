// Never lose a keystroke, on the story form.
//
// - When typing pauses (and every few seconds while it goes on), and when the page is left, the
//   typed fields are kept: first in this browser (localStorage), then on the server as the
//   person's draft of the story (never the story: no revision, no new version). Offline, the
//   browser's copy waits and is sent when the connection returns.
// - Opening the form again offers what was typed and not saved, with a diff against the saved
//   story; restoring puts it back with the version it was typed on, so a save after someone
//   else's meets the ordinary edit conflict instead of overwriting it.
// - A save that fails because the session ended (login page) or because the person signed in
//   again in another tab (stale CSRF token) loses nothing: the form's text is kept in the
//   browser at submit, the token is refreshed from the cookie before sending, and the form
//   offers the text back after signing in.
// - Word count, character count (diacritics and tatweel are not characters of their own) and
//   reading time beside each body editor.
// Loaded as a classic script inside the form, so its listener is in place before the editors'
// module scripts announce themselves.
(function () {
  "use strict";
  // Sent a moment after typing pauses, and at least this often while it goes on.
  var PAUSE = 1200;
  var EVERY = 5000;
  var DIACRITICS = /[\u064B-\u065F\u0670\u0640]/g;
  var editors = {};

  document.addEventListener("prose-editor:ready", function (event) {
    var detail = event.detail;
    editors[detail.textarea.name] = detail.editor;
    if (detail.editor.on) {
      detail.editor.on("update", function () {
        changed();
      });
    }
    counts();
  });

  var root, form, key, base, typed, dirty = false, submitting = false, lastSent = null;

  function label(name) {
    return root.getAttribute("data-label-" + name) || "";
  }

  function digits(text) {
    if (root.getAttribute("data-digits") === "latin" || document.documentElement.lang !== "ar") return String(text);
    return String(text).replace(/[0-9]/g, function (d) { return "٠١٢٣٤٥٦٧٨٩"[d]; });
  }

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  function element(name) {
    return form.elements.namedItem(name);
  }

  function value(name) {
    if (editors[name] && editors[name].getHTML) return editors[name].getHTML();
    var field = element(name);
    return field ? field.value : "";
  }

  function setValue(name, text) {
    var field = element(name);
    if (editors[name] && editors[name].commands) editors[name].commands.setContent(text, true);
    if (field) {
      field.value = text;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function collect() {
    var data = {};
    typed.forEach(function (name) {
      if (element(name)) data[name] = value(name);
    });
    return data;
  }

  function plain(text) {
    var box = document.createElement("div");
    box.innerHTML = String(text || "").replace(/<\/(p|h2|h3|li|blockquote)>/gi, "\n");
    return (box.textContent || "").replace(/\s+/g, " ").trim();
  }

  function same(a, b) {
    return Object.keys(a).every(function (name) { return plain(a[name]) === plain(b[name]); });
  }

  function status(text, warning) {
    var line = root.querySelector(".desk-autosave-status");
    line.textContent = text;
    line.classList.toggle("is-warning", Boolean(warning));
  }

  function stored() {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function store(record) {
    try { window.localStorage.setItem(key, JSON.stringify(record)); } catch (e) { /* full or disabled */ }
  }

  function post(url, body, keepalive) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      keepalive: Boolean(keepalive),
      headers: { "Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken") },
      body: JSON.stringify(body),
    });
  }

  function signedOut(response) {
    return response.type === "opaqueredirect" || response.status === 401 || response.status === 403;
  }

  function save(keepalive) {
    return send(collect(), base, keepalive, false);
  }

  function send(data, dataBase, keepalive, withPanel) {
    var record = { data: data, base: dataBase, savedAt: Date.now(), sent: false };
    store(record);
    var body = { article: root.getAttribute("data-article"), base_version: dataBase, data: data, panel: Boolean(withPanel) };
    return post(root.getAttribute("data-keep-url"), body, keepalive && JSON.stringify(body).length < 60000)
      .then(function (response) {
        if (signedOut(response)) {
          status(label("signed-out"), true);
          return null;
        }
        if (!response.ok) throw new Error(String(response.status));
        return response.json().then(function (answer) {
          record.sent = true;
          lastSent = JSON.stringify(data);
          store(record);
          status(answer.stale ? label("stale") : label("kept") + " " + answer.kept_at, answer.stale);
          return answer;
        });
      })
      .catch(function () {
        status(label("local"), true);
        return null;
      });
  }

  var pause = null;
  function changed() {
    dirty = true;
    counts();
    window.clearTimeout(pause);
    pause = window.setTimeout(tick, PAUSE);
  }

  function tick() {
    if (dirty && !submitting) {
      dirty = false;
      save(false);
    }
  }

  // Restoring ------------------------------------------------------------------------------

  function wirePanel(data, draftBase) {
    var panel = root.querySelector(".desk-restore");
    if (!panel) return;
    panel.querySelector(".desk-restore-apply").addEventListener("click", function () {
      Object.keys(data).forEach(function (name) { setValue(name, data[name]); });
      var loaded = element("loaded_version");
      if (loaded && draftBase) {
        // The version it was typed on: a save meets any later save as a conflict, never overwrites it.
        loaded.value = draftBase;
        base = Number(draftBase);
      }
      panel.remove();
      status(label("restored"));
      changed();
    });
    panel.querySelector(".desk-restore-discard").addEventListener("click", function () {
      post(root.getAttribute("data-discard-url"), { article: root.getAttribute("data-article") });
      window.localStorage.removeItem(key);
      panel.remove();
    });
  }

  function offerLocal(record) {
    // The browser's copy is newer than the server's (or the server never got it): send it, and
    // show the server's diff; offline or signed out, offer it without one.
    var slot = root.querySelector(".desk-autosave-panel-slot");
    send(record.data, record.base, false, true).then(function (answer) {
      if (answer && answer.panel) {
        slot.innerHTML = answer.panel;
      } else {
        slot.innerHTML =
          '<div class="module desk-restore" role="alert"><p></p><p class="desk-restore-buttons">' +
          '<button type="button" class="button default desk-restore-apply"></button> ' +
          '<button type="button" class="button desk-restore-discard"></button></p></div>';
        slot.querySelector("p").textContent = label("unsent");
        slot.querySelector(".desk-restore-apply").textContent = label("restore");
        slot.querySelector(".desk-restore-discard").textContent = label("discard");
      }
      wirePanel(record.data, record.base);
    });
  }

  // Counting -------------------------------------------------------------------------------

  function counts() {
    if (!form) return;
    ["body_ar", "body_en"].forEach(function (name) {
      var field = element(name);
      if (!field) return;
      var box = document.getElementById("desk-counts-" + name);
      if (!box) {
        box = document.createElement("p");
        box.id = "desk-counts-" + name;
        box.className = "desk-counts";
        var row = field.closest(".form-row") || field.parentNode;
        row.appendChild(box);
      }
      var text = plain(value(name)).replace(DIACRITICS, "");
      var words = text ? text.split(" ").filter(function (w) { return /[\p{L}\p{N}]/u.test(w); }).length : 0;
      var chars = text.replace(/\s/g, "").length;
      var wpm = Number(root.getAttribute("data-wpm")) || 180;
      var minutes = words ? Math.max(1, Math.ceil(words / wpm)) : 0;
      box.setAttribute("data-words", words);
      box.setAttribute("data-chars", chars);
      box.setAttribute("data-minutes", minutes);
      box.textContent =
        label("words") + ": " + digits(words) + " · " + label("chars") + ": " + digits(chars) + " · " +
        label("reading") + ": " + digits(minutes) + " " + label("minutes");
    });
  }

  // Start ----------------------------------------------------------------------------------

  document.addEventListener("DOMContentLoaded", function () {
    root = document.getElementById("desk-autosave");
    form = root && root.closest("form");
    if (!form) return;
    key = root.getAttribute("data-key");
    typed = (root.getAttribute("data-fields") || "").split(" ").filter(Boolean);
    var loaded = element("loaded_version");
    base = loaded && loaded.value ? Number(loaded.value) : null;
    counts();

    var serverData = document.getElementById("desk-autosave-draft");
    var serverMark = root.querySelector(".desk-restore-base");
    var server = serverData ? JSON.parse(serverData.textContent) : null;
    var serverTime = serverMark ? Date.parse(serverMark.getAttribute("data-saved")) : 0;
    var local = stored();
    var errors = document.querySelector(".errornote, .errorlist");
    if (local && (same(local.data, collect()) || errors)) {
      // Saved already, or the form itself came back with what was typed (a refused save).
      window.localStorage.removeItem(key);
      local = null;
    } else if (local && local.submitted && local.sent && !server) {
      // Sent, then saved: the save ended the server's draft.
      window.localStorage.removeItem(key);
      local = null;
    }
    if (server && (!local || serverTime >= local.savedAt)) {
      wirePanel(server, serverMark && serverMark.getAttribute("data-base"));
    } else if (local) {
      offerLocal(local);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      submitting = true;
      var data = collect();
      store({ data: data, base: base, savedAt: Date.now(), sent: lastSent === JSON.stringify(data), submitted: true });
      // Signed in again in another tab: the session and the token cookie are new; this form's token is not.
      var fresh = cookie("csrftoken");
      Array.prototype.forEach.call(form.querySelectorAll("input[name=csrfmiddlewaretoken]"), function (input) {
        if (fresh) input.value = fresh;
      });
    });
    window.setInterval(tick, EVERY);
    window.addEventListener("online", function () {
      var record = stored();
      if (record && !record.sent && !submitting) save(false);
    });
    window.addEventListener("pagehide", function () {
      if (dirty && !submitting) save(true);
    });
    document.addEventListener("visibilitychange", function () {
      if (document.hidden && dirty && !submitting) {
        dirty = false;
        save(true);
      }
    });
  });
})();
