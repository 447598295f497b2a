// Spreadsheet import in the admin: while a large file is checked or imported, show that the
// server is working, and keep a second click from sending it twice.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const progress = form.querySelector(".ek-import-progress") ||
    form.parentElement.querySelector(".ek-import-progress");
  if (!progress) return;
  if (form.dataset.submitting) {
    event.preventDefault();
    return;
  }
  form.dataset.submitting = "1";
  progress.hidden = false;
});
