// Forms built from the API's own request schemas (GET /docs-json): which fields exist, which are
// required, their enums and formats. The page adds labels in both languages (i18n.js, `field:<path>`)
// and a few habits of input: long text in a textarea, Arabic names right to left, times typed in
// Baghdad time. Adding a field or an event type to the API gives the form its field with no change here.

import { operation } from './api.js';
import { formatInstant, hasMessage, t } from './i18n.js';
import { localInputValue, zonedInstant } from './time.js';
import { h } from './view.js';

/** A schema with its $ref followed (components/schemas only). */
export function resolve(doc, schema) {
  let s = schema;
  for (let i = 0; s?.$ref && i < 10; i += 1) s = doc.components?.schemas?.[s.$ref.split('/').pop()];
  return s ?? null;
}

/** The JSON request body schema of an operation of api.js OPERATIONS. */
export function requestSchema(doc, name) {
  return resolve(doc, operation(doc, name)?.requestBody?.content?.['application/json']?.schema);
}

/** A component schema by name (e.g. ClaimStepBodyDto). */
export const componentSchema = (doc, name) => resolve(doc, { $ref: `#/components/schemas/${name}` });

/** Each event type's body schema, from the discriminator of POST /provinces/{slug}/events. */
export function eventSchemas(doc) {
  const body = operation(doc, 'appendEvent')?.requestBody?.content?.['application/json']?.schema;
  const mapping = body?.discriminator?.mapping ?? {};
  return new Map(Object.entries(mapping).map(([type, ref]) => [type, resolve(doc, { $ref: ref })]));
}

/** The fields every event shares, shown after the type's own (what happened first, then when and who says so). */
const COMMON_LAST = ['occurredAt', 'occurredAtPrecision', 'source', 'confidence', 'note', 'internal'];
/** Free text that may run to sentences. */
const LONG_TEXT = new Set(['criteria', 'text', 'note', 'reason', 'basis', 'summary']);

/** A field's label: from the catalogue, else its name in words (so a field new to the API still shows, and the spec flags it). */
export function fieldLabel(path) {
  const key = `field:${path}`;
  if (hasMessage(key)) return t(key);
  const name = path.split('.').pop();
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

function enumLabel(name, value) {
  const key = `enum:${name}:${value}`;
  return hasMessage(key) ? t(key) : String(value);
}

/** Every field path a schema gives a form (nested objects flattened as a.b), for the label check. */
export function fieldPaths(doc, schema, prefix = '') {
  const s = resolve(doc, schema);
  return Object.entries(s?.properties ?? {}).flatMap(([name, child]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    const c = resolve(doc, child);
    return c?.type === 'object' && c.properties ? [path, ...fieldPaths(doc, c, path)] : [path];
  });
}

let formSeq = 0;

/**
 * The fields of one request body. `omit`: top-level properties not shown; `require`: paths the desk
 * requires beyond the API (the source's URL of an event); `choices`: path → suggestions (a datalist);
 * `custom`: path → (field) => { element, read(), fill(v) } for a property the generic rules cannot draw.
 */
export class SchemaForm {
  constructor(doc, schema, { omit = [], require = [], choices = {}, custom = {}, timeZone = 'Asia/Baghdad', idPrefix = 'f' } = {}) {
    this.doc = doc;
    this.timeZone = timeZone;
    this.require = new Set(require);
    this.choices = choices;
    this.custom = custom;
    this.id = `${idPrefix}${(formSeq += 1)}`;
    this.fields = new Map();
    this.dirty = false;
    this.inputListeners = new Set();
    this.echoes = [];
    const root = resolve(doc, schema);
    const props = Object.entries(root?.properties ?? {}).filter(([name]) => !omit.includes(name));
    const ordered = [...props.filter(([n]) => !COMMON_LAST.includes(n)), ...COMMON_LAST.flatMap((n) => props.filter(([m]) => m === n))];
    this.element = h('div', { class: 'fields' }, ordered.map(([name, child]) => this.field(name, name, child, (root.required ?? []).includes(name))));
    this.element.schemaForm = this;
    this.element.addEventListener('input', () => this.touched());
    this.element.addEventListener('change', () => this.touched());
  }

  touched() {
    this.dirty = true;
    for (const fn of this.inputListeners) fn();
  }

  onInput(fn) {
    this.inputListeners.add(fn);
  }

  field(name, path, raw, required) {
    const schema = resolve(this.doc, raw);
    const needed = required || this.require.has(path);
    const id = `${this.id}-${path.replace(/\./g, '-')}`;
    if (this.custom[path]) {
      const custom = this.custom[path]({ id, path, schema, required: needed, label: fieldLabel(path) });
      this.fields.set(path, { kind: 'custom', custom, required: needed, path, id });
      return custom.element;
    }
    if (schema?.type === 'object' && schema.properties) {
      const req = schema.required ?? [];
      return h(
        'fieldset',
        { class: `fieldset fieldset--${name}`, id },
        h('legend', { dataset: { t: `field:${path}` } }, fieldLabel(path)),
        h('div', { class: `fieldset__grid fieldset__grid--${name}` }, Object.entries(schema.properties).map(([n, c]) => this.field(n, `${path}.${n}`, c, needed && req.includes(n)))),
      );
    }
    const errorId = `${id}-error`;
    const hintId = `${id}-hint`;
    let input;
    let hint = null;
    let kind = 'text';
    const common = { id, name: path, 'aria-describedby': errorId, ...(needed ? { required: true, 'aria-required': 'true' } : {}) };
    if (schema?.type === 'boolean') {
      kind = 'checkbox';
      input = h('input', { ...common, type: 'checkbox', ...(schema.default ? { checked: true } : {}) });
      this.fields.set(path, { kind, input, required: false, path, id });
      return h(
        'div',
        { class: 'field field--checkbox' },
        input,
        h('label', { for: id, dataset: { t: `field:${path}` } }, fieldLabel(path)),
        h('p', { class: 'field__error', id: errorId, hidden: true }),
      );
    }
    if (Array.isArray(schema?.enum)) {
      kind = 'select';
      const hasDefault = schema.default !== undefined;
      input = h(
        'select',
        common,
        hasDefault ? null : h('option', { value: '', dataset: { t: 'form.choose' } }, t('form.choose')),
        schema.enum.map((v) => h('option', { value: v, ...(schema.default === v ? { selected: true } : {}), dataset: { t: `enum:${name}:${v}` } }, enumLabel(name, v))),
      );
    } else if (schema?.type === 'number' || schema?.type === 'integer') {
      kind = 'number';
      input = h('input', { ...common, type: 'number', inputmode: 'numeric', min: '0', step: '1' });
    } else if (schema?.format === 'date-time') {
      kind = 'datetime';
      input = h('input', { ...common, type: 'datetime-local', step: '60', 'aria-describedby': `${hintId} ${id}-echo ${errorId}` });
      // What was typed, said back in words in the cycle's zone: a browser shows the input in its own locale's order.
      const echo = h('p', { class: 'field__echo', id: `${id}-echo` });
      const say = () => {
        const at = zonedInstant(input.value, this.timeZone);
        echo.textContent = at ? t('form.echo', formatInstant(at, this.timeZone)) : '';
      };
      input.addEventListener('input', say);
      input.addEventListener('change', say);
      this.echoes.push(say);
      hint = h(
        'p',
        { class: 'field__hint', id: hintId },
        h('span', { dataset: { t: 'form.zone', tArgs: JSON.stringify([this.timeZone]) } }, t('form.zone', this.timeZone)),
        needed ? null : [' · ', h('span', { dataset: { t: 'form.now' } }, t('form.now'))],
      );
      hint = [hint, echo];
    } else if (schema?.format === 'date') {
      kind = 'date';
      input = h('input', { ...common, type: 'date' });
    } else if (LONG_TEXT.has(name)) {
      input = h('textarea', { ...common, rows: '3', dir: 'auto' });
    } else {
      const rtl = /Ar$/.test(name);
      const list = this.choices[path];
      input = h('input', {
        ...common,
        type: schema?.format === 'uri' ? 'url' : 'text',
        autocomplete: 'off',
        ...(rtl ? { dir: 'rtl', lang: 'ar' } : { dir: 'auto' }),
        ...(schema?.format === 'uri' ? { inputmode: 'url', placeholder: 'https://…', dir: 'ltr' } : {}),
        ...(list ? { list: `${id}-list` } : {}),
      });
      if (list) hint = h('datalist', { id: `${id}-list` }, list.map((v) => h('option', { value: v })));
    }
    this.fields.set(path, { kind, input, required: needed, path, id, name });
    return h(
      'div',
      { class: `field field--${kind} field--${name}` },
      h(
        'label',
        { for: id },
        h('span', { dataset: { t: `field:${path}` } }, fieldLabel(path)),
        ' ',
        h('span', { class: needed ? 'field__req' : 'field__opt', dataset: { t: needed ? 'form.required' : 'form.optional' } }, t(needed ? 'form.required' : 'form.optional')),
      ),
      input,
      hint,
      h('p', { class: 'field__error', id: errorId, hidden: true }),
    );
  }

  /** The body the fields describe, and what is missing or malformed before the API is asked. */
  read() {
    const body = {};
    const errors = [];
    const set = (path, value) => {
      const keys = path.split('.');
      let at = body;
      for (const k of keys.slice(0, -1)) at = at[k] ??= {};
      at[keys.at(-1)] = value;
    };
    for (const f of this.fields.values()) {
      if (f.kind === 'custom') {
        const { value, errors: more = [] } = f.custom.read();
        errors.push(...more);
        if (value !== undefined) set(f.path, value);
        else if (f.required) errors.push({ field: f.path, message: t('form.missing', fieldLabel(f.path)) });
        continue;
      }
      let value;
      if (f.kind === 'checkbox') value = f.input.checked ? true : undefined;
      else if (f.kind === 'number') {
        const raw = f.input.value.trim();
        if (raw !== '') {
          value = Number(raw);
          if (!Number.isInteger(value) || value < 0) errors.push({ field: f.path, message: t('form.invalid', fieldLabel(f.path), raw) });
        }
      } else if (f.kind === 'datetime') value = f.input.value ? (zonedInstant(f.input.value, this.timeZone) ?? undefined) : undefined;
      else value = f.input.value.trim() || undefined;
      if (value === undefined) {
        if (f.required) errors.push({ field: f.path, message: t('form.missing', fieldLabel(f.path)) });
        continue;
      }
      if (f.input.type === 'url' && !/^https?:\/\/\S+$/i.test(value)) errors.push({ field: f.path, message: t('form.invalidUrl', fieldLabel(f.path)) });
      set(f.path, value);
    }
    return { body, errors };
  }

  /** Say the typed times again (the page's language changed). */
  relabel() {
    for (const say of this.echoes) say();
  }

  /** Every field's raw input value by path (to carry what was typed into another form). */
  snapshot() {
    const out = {};
    for (const [path, f] of this.fields) {
      if (f.kind === 'custom') out[path] = f.custom.snapshot?.();
      else out[path] = f.kind === 'checkbox' ? f.input.checked : f.input.value;
    }
    return out;
  }

  fill(values = {}) {
    for (const [path, value] of Object.entries(values)) {
      const f = this.fields.get(path);
      if (!f || value === undefined) continue;
      if (f.kind === 'custom') f.custom.fill?.(value);
      else if (f.kind === 'checkbox') f.input.checked = Boolean(value);
      else f.input.value = value;
    }
    this.relabel();
  }

  /** Set a datetime field from an instant (shown in the form's zone). */
  setInstant(path, instant) {
    const f = this.fields.get(path);
    if (f?.kind === 'datetime') f.input.value = localInputValue(instant, this.timeZone);
  }

  /** The typed value of one field (undefined if absent). */
  value(path) {
    const f = this.fields.get(path);
    if (!f) return undefined;
    if (f.kind === 'datetime') return f.input.value ? zonedInstant(f.input.value, this.timeZone) : undefined;
    return f.kind === 'checkbox' ? f.input.checked : f.input.value;
  }

  clearErrors() {
    for (const f of this.fields.values()) {
      if (f.kind === 'custom') {
        f.custom.clearErrors?.();
        continue;
      }
      f.input.removeAttribute('aria-invalid');
      const el = document.getElementById(`${f.id}-error`);
      if (el) {
        el.textContent = '';
        el.hidden = true;
      }
    }
  }

  /**
   * Mark fields refused, by the page or by the API's `errors` ([{ field, message }], paths as the body's);
   * returns those that matched no field (shown with the form's own message) and focuses the first field marked.
   */
  showErrors(errors) {
    this.clearErrors();
    const unmatched = [];
    let first = null;
    for (const e of errors) {
      const f = this.fields.get(e.field) ?? this.fields.get(e.field.split('.')[0]);
      if (f?.kind === 'custom' && f.custom.showError?.(e)) {
        first ??= f.custom.focusTarget?.() ?? null;
        continue;
      }
      if (!f || f.kind === 'custom') {
        unmatched.push(e);
        continue;
      }
      f.input.setAttribute('aria-invalid', 'true');
      const el = document.getElementById(`${f.id}-error`);
      if (el) {
        el.textContent = el.textContent ? `${el.textContent} ${e.message}` : e.message;
        el.hidden = false;
      }
      first ??= f.input;
    }
    first?.focus();
    return unmatched;
  }
}
