// Speaks a short message to screen readers through the page's polite live region.
export function announce(message: string) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A fresh text node after a tick makes repeated messages audible again.
  setTimeout(() => (region.textContent = message), 50);
}
