// The lead-image picker (articles/admin/widgets.py): a select2 box like Django's autocomplete,
// whose answers show each picture's thumbnail beside its alt text, and a preview of the choice.
"use strict";
{
  const $ = django.jQuery;

  function answer(data) {
    if (!data.id || !data.thumbnail) {
      return data.text;
    }
    const row = document.createElement("span");
    row.className = "image-choice";
    const picture = document.createElement("img");
    Object.assign(picture, { src: data.thumbnail, alt: "", width: 56, height: 56, loading: "lazy" });
    const text = document.createElement("span");
    text.textContent = data.text;
    row.append(picture, text);
    return $(row);
  }

  function preview(select, src) {
    const img = select.parentElement.querySelector(".image-picker-preview");
    if (!img) {
      return;
    }
    img.hidden = !src;
    if (src) {
      img.src = src;
    }
  }

  function query(select, term) {
    const params = new URLSearchParams({
      term: term,
      app_label: select.dataset.appLabel,
      model_name: select.dataset.modelName,
      field_name: select.dataset.fieldName,
    });
    const url = select.getAttribute("data-ajax--url");
    return fetch(`${url}?${params}`, { credentials: "same-origin" }).then((response) => response.json());
  }

  function start(select) {
    $(select).select2({
      ajax: {
        data: (params) => ({
          term: params.term,
          page: params.page,
          app_label: select.dataset.appLabel,
          model_name: select.dataset.modelName,
          field_name: select.dataset.fieldName,
        }),
      },
      templateResult: answer,
    });
    $(select).on("change", () => {
      const option = select.selectedOptions[0];
      if (!option || !option.value) {
        preview(select, "");
        return;
      }
      const chosen = $(select).select2("data")[0];
      if (chosen && chosen.thumbnail) {
        preview(select, chosen.thumbnail);
        return;
      }
      // A picture uploaded with the "+" beside the box arrives as a plain <option>: look it up.
      query(select, option.textContent.trim())
        .then((answers) => {
          const found = answers.results.find((item) => item.id === option.value);
          preview(select, found ? found.thumbnail : "");
        })
        .catch(() => preview(select, ""));
    });
  }

  $(() => document.querySelectorAll("select.image-picker").forEach(start));
}
