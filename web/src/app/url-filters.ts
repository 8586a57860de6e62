import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/**
 * Filters kept in the page's query string (shareable, kept on reload, back button works): the named keys'
 * non-empty values, and a setter that replaces them all at once.
 */
export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => {
    const out: Partial<Record<K, string>> = {};
    for (const key of keys) {
      const value = params.get(key);
      if (value) out[key] = value;
    }
    return out;
  }, [params, keys]);
  const setFilters = useCallback(
    (next: Partial<Record<K, string>>) => {
      const fresh = new URLSearchParams();
      for (const key of keys) {
        const value = next[key]?.trim();
        if (value) fresh.set(key, value);
      }
      setParams(fresh);
    },
    [keys, setParams],
  );
  return { filters, setFilters };
}
