// Astro configuration for Ring Zero. See README.md ("For contributors").
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import svelte from '@astrojs/svelte';
import { remarkExplicitHeadingIds } from './src/lib/markdown/remark-explicit-heading-ids.ts';
import { rehypeHeadingAnchors } from './src/lib/markdown/rehype-heading-anchors.ts';

export default defineConfig({
  site: 'http://localhost:4321',
  trailingSlash: 'always',
  build: { format: 'directory' },
  server: { port: 4321, host: 'localhost' },
  devToolbar: { enabled: false },
  integrations: [mdx(), svelte()],
  markdown: {
    remarkPlugins: [remarkExplicitHeadingIds],
    rehypePlugins: [rehypeHeadingAnchors],
    shikiConfig: {
      // Both themes are emitted as CSS variables; src/styles/code.css picks one per theme.
      themes: { light: 'github-light-default', dark: 'github-dark-default' },
      defaultColor: false,
      wrap: false,
    },
  },
  vite: {
    ssr: { noExternal: ['d3', /^d3-/] },
  },
});
