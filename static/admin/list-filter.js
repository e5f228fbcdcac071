// A drop-down filter on the story list: choosing an entry opens the list filtered by it.
// (Each option's value is the list's query string with that filter applied, as Django builds it.)
"use strict";
document.addEventListener("change", (event) => {
  const select = event.target.closest("[data-filter-select]");
  if (select) {
    window.location.search = select.value;
  }
});
