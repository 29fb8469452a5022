/**
 * The page's only way to make elements. Strings become text nodes and attribute values, never markup:
 * event_data, ids and error messages come from the API and may hold anything a client sent.
 */
export type Child = Node | string | number | false | null | undefined;

export interface ElementProps {
  /** Attributes, set with setAttribute; `false` or `undefined` leaves one out, `true` sets it empty. */
  [attribute: string]: string | number | boolean | undefined | Listeners;
}

type Listeners = { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };

const SVG_NS = 'http://www.w3.org/2000/svg';

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps & { on?: Listeners } = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  return decorate(document.createElement(tag), props, children);
}

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, props: ElementProps = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  return decorate(document.createElementNS(SVG_NS, tag), props, children);
}

function decorate<E extends Element>(element: E, { on, ...attributes }: ElementProps & { on?: Listeners }, children: Child[]): E {
  for (const [name, value] of Object.entries(attributes)) {
    // Inline style attributes would need 'unsafe-inline' in the page's content security policy.
    if (name === 'style' || name.startsWith('on')) throw new Error(`attribute ${name} is not allowed`);
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [type, listener] of Object.entries(on ?? {})) element.addEventListener(type, listener as EventListener);
  append(element, children);
  return element;
}

export function append(parent: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'number' ? String(child) : child);
  }
}

/** Replaces everything inside an element. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}
