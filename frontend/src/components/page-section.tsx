import { useId, type ReactNode } from 'react';
import { Typography } from 'antd';

/** A titled region: screen readers and tests find it by role "region" and its title. */
export function PageSection({ title, extra, children }: { title: string; extra?: ReactNode; children: ReactNode }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} style={{ marginBottom: 32 }}>
      <div style={{ display: 'flex', alignItems: 'baseline', gap: 12 }}>
        <Typography.Title level={2} id={headingId}>
          {title}
        </Typography.Title>
        {extra}
      </div>
      {children}
    </section>
  );
}
