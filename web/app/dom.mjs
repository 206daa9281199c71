// Small DOM helpers. Text always goes in through textContent, so file names
// and DICOM values can never inject markup.

// Creates an element: attributes as an object (class, data-*, aria-*, ...)
// and children as strings (text nodes) or nodes.
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Saves bytes or text as a file through a temporary object URL (no network).
export function downloadBlob(parts, type, fileName) {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const link = element('a', { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
