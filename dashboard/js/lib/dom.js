// Tiny helpers for building DOM without a framework.
//
// Everything that comes from the broker (event payloads, session ids, plugin
// errors) is outside data, so text is only ever set through textContent and
// attributes through setAttribute: nothing received is parsed as HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

function applyProps(el, props) {
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'class') {
      el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

function appendChildren(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** h('td', {class: 'num', title: iso}, 'text', otherNode) */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  applyProps(el, props);
  appendChildren(el, children);
  return el;
}

/** Same as h() for SVG elements (they need their namespace). */
export function svg(tag, props, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  applyProps(el, props);
  appendChildren(el, children);
  return el;
}

/** Replaces all children of `el`. */
export function replaceChildren(el, ...children) {
  el.replaceChildren();
  appendChildren(el, children);
}

/** Sets textContent only when it changed (avoids needless layout work every tick). */
export function setText(el, text) {
  const value = String(text);
  if (el.textContent !== value) el.textContent = value;
}

export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`dashboard markup is missing #${id}`);
  return el;
}
