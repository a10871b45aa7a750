// A jsdom window installed as the global environment React renders into,
// and a console spy: any console.error/console.warn while rendering fails
// the test. Import this module before react-dom.
import { format } from 'node:util';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
  url: 'http://localhost/',
  pretendToBeVisual: true,
});
const { window } = dom;

// Node has its own Event/EventTarget; React and RJSF must see the DOM's.
const FORCED = ['Event', 'CustomEvent', 'EventTarget', 'navigator'];
for (const key of Object.getOwnPropertyNames(window)) {
  if (key in globalThis && !FORCED.includes(key)) continue;
  try {
    Object.defineProperty(globalThis, key, {
      configurable: true,
      writable: true,
      value: window[key],
    });
  } catch {
    // Some window properties are getters bound to the window; not needed.
  }
}
globalThis.window = window;
globalThis.document = window.document;
// Tell React its updates are wrapped in act().
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

/**
 * Runs `fn` with console.error and console.warn captured; returns what
 * `fn` returned and every message logged meanwhile.
 */
export async function withConsoleSpy(fn) {
  const logged = [];
  const saved = { error: console.error, warn: console.warn };
  console.error = (...args) => logged.push(`error: ${format(...args)}`.slice(0, 600));
  console.warn = (...args) => logged.push(`warn: ${format(...args)}`.slice(0, 600));
  try {
    const result = await fn();
    return { result, logged };
  } finally {
    console.error = saved.error;
    console.warn = saved.warn;
  }
}

/** A fresh container element attached to the document. */
export function container() {
  const el = window.document.createElement('div');
  window.document.body.appendChild(el);
  return el;
}
