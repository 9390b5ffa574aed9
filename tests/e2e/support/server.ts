// Where the end-to-end tests find the built site and the server that serves it.
// Shared by playwright.config.ts and the specs.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const DIST = resolve(ROOT, 'dist');

/** Chosen by playwright.config.ts (4329 when free); never 4321, which `npm start` uses. */
export const PORT = Number(process.env.E2E_PORT ?? 4329);
export const BASE_URL = `http://127.0.0.1:${PORT}`;
export const ORIGIN = new URL(BASE_URL).origin;
