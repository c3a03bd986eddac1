import type { ReactNode } from 'react';

/**
 * A small coloured label, drawn like antd's Tag. `color`: one of antd's preset names that
 * src/app/styles.css draws (`.fm-tag-*`: blue, green, red, orange, volcano, gold, cyan, purple)
 * or "default" (grey, bordered).
 */
export function Tag({ color = 'default', children }: { color?: string; children: ReactNode }) {
  return <span className={`fm-tag fm-tag-${color}`}>{children}</span>;
}
