import type { Page, RegistryStore } from './registry.ports.js';
import type { ModelListQuery, ModelRecord } from './registry.types.js';

/** Rows read past (not shown) before a page is handed back short, with a cursor to go on from. */
const skipBudget = 1000;

/**
 * A page of the models `visible` lets through, in name order. The store is read in chunks until the page
 * is full, the list ends, or `skipBudget` rows were read; `next` is then the last name read, so paging on
 * neither repeats nor misses a model.
 */
export async function readVisibleModels(
  store: Pick<RegistryStore, 'listModels'>,
  query: ModelListQuery,
  visible: (model: ModelRecord) => boolean,
): Promise<Page<ModelRecord>> {
  const chunk = Math.min(500, Math.max(query.limit, 100));
  const budget = Math.max(skipBudget, 2 * query.limit);
  const items: ModelRecord[] = [];
  let after = query.after;
  let read = 0;
  for (;;) {
    const page = await store.listModels({ ...query, limit: chunk, ...(after ? { after } : {}) });
    for (const [i, model] of page.items.entries()) {
      read++;
      if (!visible(model)) continue;
      items.push(model);
      if (items.length === query.limit) {
        const more = i < page.items.length - 1 || page.next !== null;
        return { items, next: more ? model.name : null };
      }
    }
    if (page.next === null) return { items, next: null };
    after = page.next;
    if (read >= budget) return { items, next: after };
  }
}
