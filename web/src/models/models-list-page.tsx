import { Pager, useCursorPager } from '../app/pager';
import { QueryResultView } from '../app/query-result-view';
import { useModelList } from './models-queries';
import { ModelsTable } from './models-table';
import { useUrlSearchField } from './use-url-search-field';

/** `/models`: every model the caller may read, searched by name and tag; the search lives in the URL. */
export function ModelsListPage() {
  const name = useUrlSearchField('q');
  const tag = useUrlSearchField('tag');
  const pager = useCursorPager(`${name.value}\n${tag.value}`);
  const list = useModelList(name.value, tag.value, pager.after);
  return (
    <section>
      <h1>Models</h1>
      <search aria-label="Models">
        <form className="filters" onSubmit={(e) => e.preventDefault()}>
          <div className="row">
            <div>
              <label htmlFor="models-q">Name contains</label>
              <input
                id="models-q"
                type="search"
                value={name.text}
                maxLength={200}
                autoComplete="off"
                onChange={(e) => name.setText(e.target.value)}
              />
            </div>
            <div>
              <label htmlFor="models-tag">Tag</label>
              <input
                id="models-tag"
                type="search"
                value={tag.text}
                maxLength={63}
                autoComplete="off"
                onChange={(e) => tag.setText(e.target.value)}
              />
            </div>
          </div>
        </form>
      </search>
      <QueryResultView query={list} what="models">
        {(page) => (
          <>
            {page.items.length === 0 ? (
              <p className="empty">
                {page.next
                  ? 'No model you may read on this page: go on with Next.'
                  : name.value || tag.value
                    ? 'No model matches this search.'
                    : 'No models yet. Create one with `warden model create` or push a version.'}
              </p>
            ) : (
              <ModelsTable models={page.items} onTag={tag.setNow} />
            )}
            <Pager label="Models" pager={pager} nextCursor={page.next} />
          </>
        )}
      </QueryResultView>
    </section>
  );
}
