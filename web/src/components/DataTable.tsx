import { Table, type TableProps } from '@mantine/core';
import { type ReactNode, useEffect, useRef } from 'react';

/** A column: its header, and how its cells sit (`actions`: unlabelled and full width on phones). */
export interface Column {
  label: string;
  align?: 'right';
  /** The header is for screen readers only. */
  hideLabel?: boolean;
  actions?: boolean;
}

/** Copies each column's header text onto its cells as `data-label`, which the stacked phone layout displays. */
function useCellLabels(enabled: boolean) {
  const ref = useRef<HTMLTableElement>(null);
  useEffect(() => {
    const table = ref.current;
    if (!enabled || !table) return;
    const label = () => {
      // Action columns get no label: their buttons say what they do.
      const heads = Array.from(table.querySelectorAll('thead th')).map((th) => (th.hasAttribute('data-actions') ? '' : (th.textContent?.trim() ?? '')));
      for (const row of Array.from(table.querySelectorAll('tbody tr, tfoot tr'))) {
        Array.from(row.children).forEach((cell, index) => {
          const text = heads[index];
          if (cell.tagName === 'TD' && text && cell.getAttribute('data-label') !== text) cell.setAttribute('data-label', text);
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

interface DataTableProps extends Omit<TableProps, 'children'> {
  /** Below this width the table scrolls sideways (`stack={false}`) or turns into cards (the default). */
  minWidth: number;
  label: string;
  columns: readonly (string | Column)[];
  /** The rows. */
  children: ReactNode;
  /** Rows of totals, after the body. */
  footer?: ReactNode;
  stack?: boolean;
}

/**
 * A table with its header row from `columns`. It scrolls sideways when the screen is narrower than `minWidth`, or
 * (`stack`, the default) turns each row into a card on phones with every cell labelled by its column, so actions
 * stay in reach at 390 px.
 */
export function DataTable({ minWidth, label, columns, children, footer, stack = true, ...props }: DataTableProps) {
  const ref = useCellLabels(stack);
  return (
    <Table.ScrollContainer minWidth={minWidth} className={stack ? 'stack-container' : undefined}>
      <Table ref={ref} className={stack ? 'stack-table' : undefined} aria-label={label} {...props}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((spec) => {
              const column = typeof spec === 'string' ? { label: spec } : spec;
              return (
                <Table.Th key={column.label} ta={column.align} data-actions={column.actions ? '' : undefined} style={{ whiteSpace: 'nowrap' }}>
                  {column.hideLabel ? <span className="visually-hidden">{column.label}</span> : column.label}
                </Table.Th>
              );
            })}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
        {footer ? <Table.Tfoot>{footer}</Table.Tfoot> : null}
      </Table>
    </Table.ScrollContainer>
  );
}
