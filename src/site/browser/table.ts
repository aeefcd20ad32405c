/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Filter and sort for the site's data tables (bundled into site/assets/table.js): an input
 * `data-filter-for="ID"` keeps the rows of table ID holding every word typed; a click on a header
 * sorts by that column (numbers by `data-sort`, text alphabetically), a second click reverses.
 */

function words(s: string): string[] {
  return s
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== "");
}

function wireFilter(input: HTMLInputElement): void {
  const id = input.dataset.filterFor ?? "";
  const tableEl = document.getElementById(id) as HTMLTableElement | null;
  const count = document.querySelector<HTMLElement>(`[data-count-for="${id}"]`);
  if (tableEl === null) return;
  const rows = [...(tableEl.tBodies[0]?.rows ?? [])];
  const texts = new Map(rows.map((r) => [r, (r.textContent ?? "").toLowerCase()]));
  const apply = () => {
    const want = words(input.value);
    let shown = 0;
    for (const r of rows) {
      const keep = want.every((w) => texts.get(r)?.includes(w));
      r.hidden = !keep;
      if (keep) shown++;
    }
    if (count) count.textContent = `${shown} of ${rows.length} rows`;
  };
  input.addEventListener("input", apply);
  apply();
}

function cellKey(row: HTMLTableRowElement, col: number): number | string {
  const cell = row.cells[col];
  const n = cell?.dataset.sort;
  return n !== undefined ? Number(n) : (cell?.textContent ?? "").toLowerCase();
}

function wireSort(tableEl: HTMLTableElement): void {
  const body = tableEl.tBodies[0];
  if (body === undefined) return;
  let last = -1;
  let direction = 1;
  [...(tableEl.tHead?.rows[0]?.cells ?? [])].forEach((th, col) => {
    th.classList.add("sortable");
    th.title = "sort by this column";
    th.addEventListener("click", () => {
      direction = last === col ? -direction : 1;
      last = col;
      const rows = [...body.rows].sort((a, b) => {
        const x = cellKey(a, col);
        const y = cellKey(b, col);
        const empty = (v: number | string) => v === "";
        if (empty(x) !== empty(y)) return empty(x) ? 1 : -1;
        return (x < y ? -1 : x > y ? 1 : 0) * direction;
      });
      body.append(...rows);
    });
  });
}

for (const input of document.querySelectorAll<HTMLInputElement>("input[data-filter-for]")) wireFilter(input);
for (const t of document.querySelectorAll<HTMLTableElement>("table.sortable")) wireSort(t);
