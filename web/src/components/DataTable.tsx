import { Table, type TableProps } from '@mantine/core';
import { useEffect, useRef } from 'react';

/** Copies each column's header text onto its cells as `data-label`, which the stacked phone layout displays. */
function useCellLabels(enabled: boolean) {
  const ref = useRef<HTMLTableElement>(null);
  useEffect(() => {
    const table = ref.current;
    if (!enabled || !table) return;
    const label = () => {
      const heads = Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent?.trim() ?? '');
      for (const row of Array.from(table.querySelectorAll('tbody tr'))) {
        Array.from(row.children).forEach((cell, index) => {
          const text = heads[index];
          if (text && cell.getAttribute('data-label') !== text) cell.setAttribute('data-label', text);
        });
      }
    };
    label();
    // Rows come and go with the data; only child changes are watched, so setting attributes does not loop.
    const observer = new MutationObserver(label);
    observer.observe(table, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [enabled]);
  return ref;
}

/**
 * A table that scrolls sideways when the screen is narrower than `minWidth`, or (`stack`, the default) turns each
 * row into a card on phones with every cell labelled by its column, so actions stay in reach at 390 px.
 */
export function DataTable({ minWidth, label, stack = true, children, ...props }: TableProps & { minWidth: number; label: string; stack?: boolean }) {
  const ref = useCellLabels(stack);
  return (
    <Table.ScrollContainer minWidth={minWidth} className={stack ? 'stack-container' : undefined}>
      <Table ref={ref} className={stack ? 'stack-table' : undefined} aria-label={label} {...props}>
        {children}
      </Table>
    </Table.ScrollContainer>
  );
}
