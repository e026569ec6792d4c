/**
 * DOM building for the two browser pages (the citizens' widget, the agents' console), the one way
 * they put text on screen: elements made with createElement, text as text nodes, links only from
 * validated addresses. Nothing here ever assigns HTML.
 */

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  // No destructuring in for-of here: Safari 14 (older iPhones) gets it wrong, and esbuild cannot lower it.
  for (const name of Object.keys(attrs)) node.setAttribute(name, attrs[name]!);
  node.append(...children);
  return node;
}

const WEB_ADDRESS = /https?:\/\/[^\s<>"']+/g;
/** Web addresses, and Vietnamese phone numbers (mobile, landline, 1900/1800 hotlines). */
const WEB_ADDRESS_OR_PHONE = /https?:\/\/[^\s<>"']+|(?:\+84|0)\d(?:[ .]?\d){8,9}\b|\b1[89]00(?:[ .]?\d){4,6}\b/g;

/** A text with its web addresses (and, with `phones`, phone numbers) as links; everything else as text nodes. */
export function linkified(text: string, options: { phones: boolean }): DocumentFragment {
  const out = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(options.phones ? WEB_ADDRESS_OR_PHONE : WEB_ADDRESS)) {
    // Sentence punctuation right after an address is not part of it.
    const found = match[0].replace(/[.,;:!?)\]]+$/, '');
    const start = match.index ?? 0;
    const link = /^https?:\/\//.test(found) ? webLink(found) : phoneLink(found);
    if (link === null) continue;
    out.append(text.slice(last, start), link);
    last = start + found.length;
  }
  out.append(text.slice(last));
  return out;
}

/** A link to an http(s) address, opened in a new tab without giving it the page; null for anything else. */
function webLink(address: string): HTMLAnchorElement | null {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return el('a', { href: url.href, target: '_blank', rel: 'noopener noreferrer' }, [address]);
}

function phoneLink(number: string): HTMLAnchorElement {
  return el('a', { href: `tel:${number.replace(/[ .]/g, '')}` }, [number]);
}
