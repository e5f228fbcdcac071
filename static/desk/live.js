// A live page's entries, kept current without a reload: poll the entries feed (through the page
// cache, conditional on its ETag, so an unchanged feed is a bodiless 304) and swap the list in.
// No JavaScript, no polling: the reader sees the entries as of their last reload.
(function () {
  "use strict";
  var block = document.querySelector("[data-live-feed]");
  if (!block || !window.fetch) return;
  var list = block.querySelector(".live-entries");
  var status = block.querySelector(".live-status");
  var url = block.getAttribute("data-live-feed");
  var every = Math.max(1, Number(block.getAttribute("data-live-interval")) || 15) * 1000;
  var etag = null;
  var failures = 0;

  function shown() {
    var keys = {};
    list.querySelectorAll("[data-entry]").forEach(function (item) { keys[item.getAttribute("data-entry")] = true; });
    return keys;
  }

  function update(data) {
    var before = shown();
    var template = document.createElement("template");
    template.innerHTML = data.html;
    var fresh = template.content.querySelectorAll("[data-entry]");
    var changed = fresh.length !== Object.keys(before).length;
    fresh.forEach(function (item) {
      if (!before[item.getAttribute("data-entry")]) {
        item.classList.add("live-new");
        changed = true;
      }
    });
    if (!changed) return;
    list.replaceChildren(template.content);
    var newest = list.querySelector(".live-new time");
    if (status && newest) status.textContent = status.getAttribute("data-new-label") + " " + newest.textContent;
    if (!data.live) {
      block.classList.remove("is-live");
      stop = true;
    }
  }

  var stop = false;
  var timer = null;
  function schedule() {
    window.clearTimeout(timer);
    if (stop) return;
    // Back off while the network or server fails, up to four intervals.
    timer = window.setTimeout(poll, every * Math.min(4, 1 + failures));
  }

  function poll() {
    if (document.hidden) { schedule(); return; }
    var headers = etag ? { "If-None-Match": etag } : {};
    // No cookies: every reader, signed in or not, gets the shared cached answer.
    fetch(url, { headers: headers, credentials: "omit", cache: "no-store" })
      .then(function (response) {
        failures = 0;
        if (response.status === 200) {
          etag = response.headers.get("ETag");
          return response.json().then(update);
        }
        if (response.status === 404) stop = true;
        return null;
      })
      .catch(function () { failures += 1; })
      .then(schedule);
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && !stop) {
      window.clearTimeout(timer);
      poll();
    }
  });
  schedule();
})();
