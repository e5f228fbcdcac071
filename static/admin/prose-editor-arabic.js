// The body editor (django-prose-editor) in the person's language.
//
// Its dialogs already ask Django's JavaScript catalogue (locale/ar/LC_MESSAGES/djangojs.po), but
// its toolbar is built with English words written into its code: button tooltips and labels
// ("bold", "heading 2"), the block menu ("Paragraph", "Heading 2"). Once an editor is ready, this
// puts each of those words through the same catalogue. It also turns the browser's spellcheck on
// and gives the editing area the field's language, so Arabic is checked as Arabic.
"use strict";
{
  const translate = (text) => (text && window.gettext ? window.gettext(text) : text);

  function translateMenu(root) {
    for (const element of root.querySelectorAll("[title], [aria-label]")) {
      for (const attribute of ["title", "aria-label"]) {
        const value = element.getAttribute(attribute);
        if (value && translate(value) !== value) {
          element.setAttribute(attribute, translate(value));
        }
      }
    }
    // The block menu's entries are text, not icons.
    for (const element of root.querySelectorAll(".prose-menubar__dropdown *")) {
      const text = element.textContent.trim();
      if (element.children.length === 0 && text && !element.classList.contains("material-icons")) {
        const translated = translate(text);
        if (translated !== text) {
          element.textContent = translated;
        }
      }
    }
  }

  document.addEventListener("prose-editor:ready", (event) => {
    const { editor, textarea } = event.detail;
    const area = editor.view.dom;
    area.setAttribute("spellcheck", "true");
    for (const attribute of ["lang", "dir"]) {
      if (textarea.hasAttribute(attribute)) {
        area.setAttribute(attribute, textarea.getAttribute(attribute));
      }
    }
    // The toolbar is drawn after the editor is ready and redrawn at times: translate whatever
    // it adds (translating twice is harmless: an Arabic word is its own translation).
    const container = textarea.closest(".prose-editor") || textarea.parentElement;
    translateMenu(container);
    new MutationObserver(() => translateMenu(container)).observe(container, { childList: true, subtree: true });
  });
}
