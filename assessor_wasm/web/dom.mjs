// DOM building without HTML parsing: every string becomes a text node or an attribute value,
// so nothing from an import, a share link or a note can ever become markup or script.
const SVG_NS = "http://www.w3.org/2000/svg";

function build(element, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) throw new Error(`event attributes are not allowed: ${name}`);
    element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** An HTML element with attributes and children (strings become text). */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element with attributes and children (strings become text). */
export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Replace an element's children (strings become text; arrays are flattened; null is skipped). */
export function fill(element, ...children) {
  element.replaceChildren();
  return build(element, {}, children);
}

/** A button that runs `action` when clicked. */
export function button(label, action, attrs = {}) {
  const element = h("button", { type: "button", class: "md-button", ...attrs }, label);
  element.addEventListener("click", action);
  return element;
}
