/**
 * Saves text as a file from an extension page through a blob link: no `downloads`
 * permission (the required set stays storage, alarms, notifications and the panel).
 * The popup's CSV exports and the page report both save this way.
 */
export function saveFile(text: string, fileName: string, type = 'application/json;charset=utf-8'): void {
  const blob = new Blob([text], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The click has started the save; the URL is released once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
