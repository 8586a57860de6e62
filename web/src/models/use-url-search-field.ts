import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useDebouncedValue } from '../app/use-debounced-value';

/**
 * A search box kept in the URL's query (`?q=`), so a reload or a shared link keeps it: typing updates the
 * URL once it settles (replacing, not adding, a history entry), and a URL changed from outside (back, a
 * link) shows in the box. Returns the box's text, its setter, and the value in force (the URL's).
 */
export function useUrlSearchField(param: string, delayMs = 300) {
  const [params, setParams] = useSearchParams();
  const value = params.get(param) ?? '';
  const [text, setText] = useState(value);
  const settled = useDebouncedValue(text.trim(), delayMs);

  const write = useCallback(
    (next: string) =>
      setParams(
        (current) => {
          const updated = new URLSearchParams(current);
          if (next) updated.set(param, next);
          else updated.delete(param);
          return updated;
        },
        { replace: true },
      ),
    [param, setParams],
  );
  // Only a newly settled edit writes: a URL changed from outside must not get the old text written back.
  const written = useRef(settled);
  useEffect(() => {
    if (settled === written.current) return;
    written.current = settled;
    if (settled !== value) write(settled);
  }, [settled, value, write]);
  useEffect(() => {
    setText((current) => (current.trim() === value ? current : value));
  }, [value]);
  /** Sets the box and the URL at once (a click on a tag, say). */
  const setNow = useCallback(
    (next: string) => {
      setText(next);
      write(next);
    },
    [write],
  );
  return { text, setText, value, setNow };
}
