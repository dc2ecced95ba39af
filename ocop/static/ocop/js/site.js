// The phone menu: the button opens and closes the navigation.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const nav = document.getElementById("site-nav");
  if (!toggle || !nav) return;
  toggle.addEventListener("click", () => {
    const open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
});

// The catalogue's facets start folded on a phone, so that the results come first; the
// chosen facet stays open. (Without script they are all open.)
function foldFacets(root) {
  if (window.matchMedia("(min-width: 700px)").matches) return;
  root.querySelectorAll("details.facet").forEach((d) => {
    if (!d.querySelector("a.selected")) d.removeAttribute("open");
  });
}
document.addEventListener("DOMContentLoaded", () => foldFacets(document));
document.addEventListener("htmx:afterSwap", (e) => foldFacets(e.target));

// Forms that undo or remove something ask first: <form data-confirm="...">. (No inline
// script, so that the Content-Security-Policy can forbid it.)
document.addEventListener("submit", (e) => {
  const message = e.target.dataset && e.target.dataset.confirm;
  if (message && !window.confirm(message)) e.preventDefault();
});

// A choice that makes another one stale clears it: <select data-clears="commune"> empties
// the form's "commune" field when the province changes.
document.addEventListener("change", (e) => {
  const name = e.target.dataset && e.target.dataset.clears;
  const other = name && e.target.form && e.target.form.elements[name];
  if (other) other.value = "";
});
