// The one script every page loads: theme choice, search loader, copy-link buttons, Term cards
// and the collapsible contents. Search itself (and Pagefind) loads on first use only.
import { initTheme } from './theme';
import { initSearchLoader } from './search-loader';
import { initCopyLinks } from './copy-link';
import { initTermCards } from './term-cards';
import { initContentsDisclosure } from './contents-disclosure';

initTheme();
initSearchLoader();
initCopyLinks();
initTermCards();
initContentsDisclosure();
