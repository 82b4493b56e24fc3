/** Text for HTML: the one escaper of the course (show(), tables, the site, the live figures' markup). */

/** Escapes text for HTML element content and attribute values: & < > " ' become entities. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
