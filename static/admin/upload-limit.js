// Refuses a file above the page's limit before the form is sent (articles/upload_limits.py): the
// server would refuse it too, but only after the browser had sent it, and a browser cut off
// mid-upload shows a connection error rather than the server's explanation.
"use strict";

(function () {
  function tooLarge(input) {
    const limit = Number(input.dataset.maxBytes);
    return Array.from(input.files || []).some((file) => file.size > limit);
  }

  function showState(input) {
    let note = input.parentElement.querySelector(".upload-limit-error");
    if (!tooLarge(input)) {
      if (note) note.remove();
      return true;
    }
    if (!note) {
      note = document.createElement("ul");
      note.className = "errorlist upload-limit-error";
      note.setAttribute("role", "alert");
      note.appendChild(document.createElement("li"));
      input.before(note);
    }
    note.firstChild.textContent = input.dataset.tooLarge;
    return false;
  }

  document.addEventListener("change", (event) => {
    if (event.target.matches("input[type=file][data-max-bytes]")) showState(event.target);
  });

  document.addEventListener("submit", (event) => {
    const inputs = event.target.querySelectorAll("input[type=file][data-max-bytes]");
    const refused = Array.from(inputs).filter((input) => !showState(input));
    if (refused.length) {
      event.preventDefault();
      refused[0].focus();
    }
  });
})();
