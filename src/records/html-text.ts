/** Everything the records' pages show goes through here: no citizen's or officer's text reaches a page as markup. */
export function esc(value: unknown): string {
  return String(value).replace(
    /[&<>"']/gu,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
