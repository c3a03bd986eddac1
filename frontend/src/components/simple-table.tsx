import type { ReactNode } from 'react';

export interface SimpleColumn<Row> {
  key: string;
  title: ReactNode;
  align?: 'start' | 'end';
  render: (row: Row) => ReactNode;
}

export interface SimpleTableProps<Row> {
  /** The table's accessible name. */
  label: string;
  columns: SimpleColumn<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** Half the cell padding, like antd's `size="small"`. */
  size?: 'small';
}

/**
 * A plain HTML table in antd's look (src/app/styles.css `.simple-table`) for the shop's short
 * lists, which need no sorting, filters or pagination: antd's Table with what it brings along
 * (~55 KB gzipped) stays the console's. Scrolls sideways when narrower than its columns.
 */
export function SimpleTable<Row>({ label, columns, rows, rowKey, size }: SimpleTableProps<Row>) {
  return (
    <div className={size === 'small' ? 'simple-table simple-table-small' : 'simple-table'}>
      <table aria-label={label}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col" style={{ textAlign: column.align ?? 'start' }}>
                {column.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => (
                <td key={column.key} style={{ textAlign: column.align ?? 'start' }}>
                  {column.render(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
