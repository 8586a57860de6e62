import type { ReactNode } from 'react';

/**
 * A table's own scroll box: on a narrow screen a wide table scrolls inside it rather than widening the
 * page, and the box takes keyboard focus so a keyboard user can scroll it too (axe: scrollable-region-focusable).
 */
export function TableWrap(props: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard.
    <section className="table-wrap" tabIndex={0} aria-label={props.label}>
      {props.children}
    </section>
  );
}
