// Light / dark / system. The inline script in BaseLayout applies the stored choice before first
// paint; this keeps the radios, the stored choice and the system setting in step afterwards.
const KEY = 'rz-theme';
type Choice = 'light' | 'dark' | 'system';

const isChoice = (v: unknown): v is Choice => v === 'light' || v === 'dark' || v === 'system';
const systemDark = matchMedia('(prefers-color-scheme: dark)');

function stored(): Choice {
  try {
    const v = localStorage.getItem(KEY);
    return isChoice(v) ? v : 'system';
  } catch {
    return 'system';
  }
}

function apply(choice: Choice) {
  const root = document.documentElement;
  root.dataset.themeChoice = choice;
  root.dataset.theme = choice === 'system' ? (systemDark.matches ? 'dark' : 'light') : choice;
}

export function initTheme() {
  const choice = stored();
  apply(choice);
  const radios = document.querySelectorAll<HTMLInputElement>('input[name="theme"]');
  for (const radio of radios) {
    radio.checked = radio.value === choice;
    radio.addEventListener('change', () => {
      if (!radio.checked || !isChoice(radio.value)) return;
      try {
        localStorage.setItem(KEY, radio.value);
      } catch {
        /* storage unavailable: the choice lasts for this page only */
      }
      apply(radio.value);
    });
  }
  systemDark.addEventListener('change', () => {
    if (document.documentElement.dataset.themeChoice === 'system') apply('system');
  });
}
