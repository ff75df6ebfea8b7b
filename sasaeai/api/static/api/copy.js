// The token page's copy button (templates/api/_made.html): shown only where a script runs,
// it copies the new secret and says so; without a script the field is selected by hand.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const field = document.getElementById(button.dataset.copy);
    const said = button.parentElement.querySelector("[role=status]");
    if (!field || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
        said.textContent = button.dataset.copied;
      } catch {
        said.textContent = "";
      }
    });
  }
  const made = document.getElementById("made");
  if (made) made.focus();
});
