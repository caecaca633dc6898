// The cycle picker: every governor selection cycle (GET /cycles, the default first) in a <select> above
// the deadline; the choice kept in the page's URL as #cycle=<slug> on the board, and as a query part of
// the desk's routes (#/provinces/basra?cycle=<slug>, see routes.js; none: the default cycle), so that a
// link or a reload opens the board on the same cycle, and back and forward move between choices. The
// board's reads follow it through api.js (the same rule as scopedPath); its notices through shows().

/** The cycle the URL's fragment names (#cycle=<slug>, or a desk route's #/…?cycle=<slug>), or null. */
export function cycleFromHash(hash) {
  let fragment = String(hash ?? '').replace(/^#/, '');
  if (fragment.startsWith('/')) fragment = fragment.includes('?') ? fragment.slice(fragment.indexOf('?') + 1) : '';
  const value = new URLSearchParams(fragment).get('cycle');
  return value ? value : null;
}

/**
 * A board read made to answer for `slug` (null: the default cycle, the routes of today unchanged):
 * `cycle` → `cycles/<slug>`, `provinces…` → `cycles/<slug>/provinces…`, and `?cycle=<slug>` on the
 * alerts, claims and charts lists. Anything else (the cycles, an acknowledgement, the machine) is the same
 * for every cycle.
 */
export function scopedPath(path, slug) {
  if (!slug) return path;
  const cycle = encodeURIComponent(slug);
  if (path === 'cycle') return `cycles/${cycle}`;
  if (/^provinces(?:[/?]|$)/.test(path)) return `cycles/${cycle}/${path}`;
  if (/^(?:alerts|claims)(?:\?|$)/.test(path) || path.startsWith('charts/')) return `${path}${path.includes('?') ? '&' : '?'}cycle=${cycle}`;
  return path;
}

/** How a cycle is offered: its name, and whether it is the default or archived. */
export function cycleLabel(c) {
  const marks = [c.default ? 'default' : null, c.status === 'archived' ? 'archived, read-only' : null].filter(Boolean);
  return marks.length ? `${c.name} (${marks.join('; ')})` : c.name;
}

export class CyclePicker {
  /** `onChange()`: the reader chose another cycle; the board reloads everything for it. */
  constructor({ onChange }) {
    this.onChange = onChange;
    this.cycles = [];
    /** The chosen cycle's slug when it is not the default one; null: the default cycle. */
    this.slug = null;
    this.select = null;
    window.addEventListener('popstate', () => this.follow());
    window.addEventListener('hashchange', () => this.follow());
  }

  /** The slug of the cycle on show. */
  get shown() {
    return this.slug ?? this.cycles.find((c) => c.default)?.slug ?? null;
  }

  /** Read the cycles (with the board's `api`) and settle the choice: the URL's cycle when it exists, else the default. */
  async load(api) {
    this.cycles = (await api('cycles')).items;
    this.slug = this.choiceIn(cycleFromHash(location.hash));
    this.render();
  }

  scoped(path) {
    return scopedPath(path, this.slug);
  }

  /** Whether a stream notice is about the cycle on show (a notice naming none is about every cycle). */
  shows(notice) {
    const slug = notice?.data?.cycle?.slug;
    return !slug || slug === this.shown;
  }

  /** Forget the choice's list (signed out). */
  clear() {
    this.cycles = [];
    this.slug = null;
    this.select?.closest('.cycle-picker')?.remove();
    this.select = null;
  }

  /** A slug as a choice: null for the default cycle or one that does not exist. */
  choiceIn(wanted) {
    const found = this.cycles.find((c) => c.slug === wanted);
    return found && !found.default ? found.slug : null;
  }

  render() {
    if (!this.select) {
      const select = document.createElement('select');
      select.id = 'cycle-picker';
      select.addEventListener('change', () => this.choose(select.value));
      const label = document.createElement('label');
      label.htmlFor = 'cycle-picker';
      label.textContent = 'Selection cycle';
      const box = document.createElement('div');
      box.className = 'cycle-picker';
      box.append(label, select);
      const board = document.getElementById('board');
      board.insertBefore(box, board.querySelector('.deadline'));
      this.select = select;
    }
    this.select.replaceChildren(...this.cycles.map((c) => new Option(cycleLabel(c), c.slug)));
    this.select.value = this.shown ?? '';
  }

  /** The reader picked a cycle: kept in the URL (a new history entry), then shown. */
  choose(slug) {
    const choice = this.choiceIn(slug);
    const url = new URL(location.href);
    url.hash = choice ? `cycle=${encodeURIComponent(choice)}` : '';
    history.pushState(null, '', url.hash ? url : url.pathname + url.search);
    this.apply(choice);
  }

  /** The URL changed (back, forward, an edited fragment): show what it names. */
  follow() {
    if (this.cycles.length > 0) this.apply(this.choiceIn(cycleFromHash(location.hash)));
  }

  apply(choice) {
    if (choice === this.slug) return;
    this.slug = choice;
    if (this.select) this.select.value = this.shown ?? '';
    this.onChange();
  }
}
