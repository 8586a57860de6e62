import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Pager, useCursorPager } from '../app/pager';
import { QueryResultView } from '../app/query-result-view';
import { useDebouncedValue } from '../app/use-debounced-value';
import { useModelList } from './models-queries';
import { ModelsTable } from './models-table';

/** `/models`: every model the caller may read, searched by name and tag; the search lives in the URL. */
export function ModelsListPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const tag = params.get('tag') ?? '';
  const [text, setText] = useState(q);
  const settled = useDebouncedValue(text.trim(), 300);

  // Typing updates the URL once it settles (replace: no history entry per keystroke)…
  useEffect(() => {
    if (settled === q) return;
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (settled) next.set('q', settled);
        else next.delete('q');
        return next;
      },
      { replace: true },
    );
  }, [settled, q, setParams]);
  // …and a URL changed from outside (back, a link) shows in the box.
  useEffect(() => {
    setText((current) => (current.trim() === q ? current : q));
  }, [q]);

  const pager = useCursorPager(`${q}\n${tag}`);
  const list = useModelList(q, tag, pager.after);
  const setTag = (value: string) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value) next.set('tag', value);
      else next.delete('tag');
      return next;
    });

  return (
    <section>
      <h1>Models</h1>
      <search aria-label="Models">
        <form className="row filters" onSubmit={(e) => e.preventDefault()}>
          <div>
            <label htmlFor="models-q">Name contains</label>
            <input
              id="models-q"
              type="search"
              value={text}
              maxLength={200}
              autoComplete="off"
              onChange={(e) => setText(e.target.value)}
            />
          </div>
          <div>
            <label htmlFor="models-tag">Tag</label>
            <input
              id="models-tag"
              type="search"
              value={tag}
              maxLength={63}
              autoComplete="off"
              onChange={(e) => setTag(e.target.value.trim())}
            />
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
                  : q || tag
                    ? 'No model matches this search.'
                    : 'No models yet. Create one with `warden model create` or push a version.'}
              </p>
            ) : (
              <ModelsTable models={page.items} onTag={setTag} />
            )}
            <Pager
              label="Models"
              page={pager.page}
              hasPrevious={pager.hasPrevious}
              nextCursor={page.next}
              onPrevious={pager.previous}
              onNext={pager.next}
            />
          </>
        )}
      </QueryResultView>
    </section>
  );
}
