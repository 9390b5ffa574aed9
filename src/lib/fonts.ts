// @font-face rules for the three self-hosted variable fonts (Latin subset). Each family has a
// metric-matched local fallback (src/styles/font-fallbacks.css) so swapping in the web font
// moves nothing on the page.
const LATIN =
  'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD';

const face = (family: string, url: string, style: 'normal' | 'italic', weights: string) =>
  `@font-face{font-family:'${family}';font-style:${style};font-display:swap;font-weight:${weights};` +
  `src:url(${url}) format('woff2-variations');unicode-range:${LATIN}}`;

export function fontFaces(urls: { serif: string; serifItalic: string; sans: string; mono: string }): string {
  return [
    face('Source Serif 4 Variable', urls.serif, 'normal', '200 900'),
    face('Source Serif 4 Variable', urls.serifItalic, 'italic', '200 900'),
    face('Inter Variable', urls.sans, 'normal', '100 900'),
    face('JetBrains Mono Variable', urls.mono, 'normal', '100 800'),
  ].join('');
}
