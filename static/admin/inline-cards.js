// On a phone the story's sources table becomes one card per source (admin/newsroom.css): each
// cell then needs its column's name, which this copies from the table's header.
"use strict";
{
  function label(row) {
    const table = row.closest("table");
    const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    [...row.children].forEach((cell, index) => {
      if (headers[index]) {
        cell.dataset.label = headers[index];
      }
    });
  }

  function labelAll() {
    document.querySelectorAll(".sources-inline tbody tr.form-row").forEach(label);
  }

  document.addEventListener("DOMContentLoaded", labelAll);
  document.addEventListener("formset:added", (event) => {
    if (event.target.closest && event.target.closest(".sources-inline")) {
      label(event.target);
    }
  });
}
