// Records what goes wrong while a page loads: console errors, uncaught exceptions, failed requests,
// error responses, and any request to another origin than the test server.
import type { Page } from '@playwright/test';
import { ORIGIN } from './server.ts';

export interface PageTrouble {
  /** console.error messages and uncaught exceptions */
  errors: string[];
  /** requests that failed or answered with status ≥ 400 */
  failedRequests: string[];
  /** requests to any origin but the test server's */
  foreignRequests: string[];
}

const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:']);

/**
 * Starts recording on `page`; call before page.goto.
 * `notFoundUrl`: the address of the not-found page under test, whose own document answers 404.
 */
export function watch(page: Page, { notFoundUrl }: { notFoundUrl?: string } = {}): PageTrouble {
  const trouble: PageTrouble = { errors: [], failedRequests: [], foreignRequests: [] };
  const isNotFoundDocument = (url: string) => notFoundUrl !== undefined && url === notFoundUrl;

  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const at = message.location().url;
    // Chromium logs the 404 page's own status as a console error; that status is intended.
    if (isNotFoundDocument(at) && message.text().includes('status of 404')) return;
    trouble.errors.push(at ? `${message.text()} (at ${at})` : message.text());
  });
  page.on('pageerror', (error) => trouble.errors.push(`uncaught ${error.name}: ${error.message}`));

  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!LOCAL_SCHEMES.has(url.protocol) && url.origin !== ORIGIN) {
      trouble.foreignRequests.push(`${request.resourceType()} ${request.url()}`);
    }
  });
  page.on('requestfailed', (request) => {
    trouble.failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'failed'}`);
  });
  page.on('response', (response) => {
    if (response.status() < 400) return;
    if (isNotFoundDocument(response.url()) && response.request().isNavigationRequest()) return;
    trouble.failedRequests.push(`${response.request().method()} ${response.url()}: status ${response.status()}`);
  });
  return trouble;
}

/** One line per item, for assertion messages. */
export const listed = (title: string, items: string[]) => `${title}:\n${items.map((i) => `  - ${i}`).join('\n')}`;
