/**
 * A small well-formedness check for generated XML (the SVG charts): every tag closes in order,
 * attributes are quoted and unique, text holds no raw `<` or stray `&`. Enough to catch broken
 * serialisation without an XML library; returns the first problem, or null.
 */
export function xmlProblem(xml: string): string | null {
  const stack: string[] = [];
  const NAME = '[A-Za-z_][\\w.:-]*';
  const tag = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`);
  const entity = /&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);/y;
  let i = xml.startsWith('<?xml') ? xml.indexOf('?>') + 2 : 0;
  let seenRoot = false;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    for (let a = text.indexOf('&'); a !== -1; a = text.indexOf('&', a + 1)) {
      entity.lastIndex = a;
      if (!entity.test(text)) return `bad entity near "${text.slice(a, a + 12)}"`;
    }
    if (text.trim() && stack.length === 0) return 'text outside the root element';
    if (lt === -1) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt);
      if (end === -1) return 'unclosed comment';
      i = end + 3;
      continue;
    }
    const m = tag.exec(xml.slice(lt, lt + 200_000));
    if (!m) return `malformed tag at ${lt}: ${xml.slice(lt, lt + 60)}`;
    const [whole, closing, name, attrs, selfClosing] = m;
    const names = [...attrs.matchAll(new RegExp(`(${NAME})\\s*=`, 'g'))].map((a) => a[1]);
    if (new Set(names).size !== names.length) return `duplicate attribute in <${name}>`;
    if (closing) {
      if (stack.pop() !== name) return `</${name}> closes the wrong element`;
    } else if (!selfClosing) {
      if (stack.length === 0 && seenRoot) return 'a second root element';
      stack.push(name);
      seenRoot = true;
    } else if (stack.length === 0) {
      if (seenRoot) return 'a second root element';
      seenRoot = true;
    }
    i = lt + whole.length;
  }
  if (stack.length > 0) return `<${stack.at(-1)}> is never closed`;
  return seenRoot ? null : 'no root element';
}
