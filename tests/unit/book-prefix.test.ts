import { describe, expect, it } from 'vitest';
import { demoteHeadings, prefixForBook } from '../../src/lib/book-prefix';

const inBook = new Set(['preface', 'insmod', 'glossary']);

describe('a page inside the whole book', () => {
  it('prefixes its ids with its slug, and every attribute that points at an id', () => {
    const html = '<h2 id="stages">Stages</h2><label for="x">X</label><a aria-describedby="t1 t2">y</a>';
    expect(prefixForBook(html, 'insmod', inBook)).toBe(
      '<h2 id="insmod--stages">Stages</h2><label for="insmod--x">X</label><a aria-describedby="insmod--t1 insmod--t2">y</a>',
    );
  });

  it('turns links within the page and to other pages of the book into in-page links', () => {
    const html = '<a href="#stages">a</a> <a href="/preface/#short-answer">b</a> <a href="/preface/">c</a>';
    expect(prefixForBook(html, 'insmod', inBook)).toBe(
      '<a href="#insmod--stages">a</a> <a href="#preface--short-answer">b</a> <a href="#preface">c</a>',
    );
  });

  it('leaves links out of the book and simulation deep links to other pages alone', () => {
    const html = '<a href="https://elixir.bootlin.com/linux/v6.1/A/ident/load_module">x</a> <a href="/windows/">w</a> <a href="/preface/#lab:loader?t=3">l</a>';
    expect(prefixForBook(html, 'insmod', inBook)).toBe(html);
  });

  it('sends a page’s own simulation deep links to that page, where the simulation runs', () => {
    expect(prefixForBook('<a href="#lab:loader?s=hello-load&amp;t=3">l</a>', 'insmod', inBook)).toBe('<a href="/insmod/#lab:loader?s=hello-load&amp;t=3">l</a>');
  });

  it('moves every heading one level down, under the book title', () => {
    expect(demoteHeadings('<h1 id="t">T</h1><h2>S</h2><h5>x</h5><header>h</header>')).toBe('<h2 id="t">T</h2><h3>S</h3><h6>x</h6><header>h</header>');
  });
});
